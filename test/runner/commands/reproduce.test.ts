import { describe, expect, it } from 'vitest';
import { compareBundles } from '../../../contract';
import { resolveResultTarget, verdictTable } from '../../../runner/commands/reproduce';
import { runCli } from '../../fixtures/cli';
import { validBundle } from '../../fixtures/bundle';

describe('headprep reproduce', () => {
  it('--help documents the verdicts and exits 0; it is listed in the top-level help', async () => {
    const r = await runCli(['reproduce', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('headprep reproduce <result id | result URL>');
    for (const w of ['exact', 'within', 'differs', '--submit', '--backend']) expect(r.stdout).toContain(w);
    expect((await runCli(['--help'])).stdout).toMatch(/reproduce\s+rerun a stored result/);
    const bad = await runCli(['reproduce']);
    expect(bad.code).toBe(2);
  });

  it('takes a result id with --site, or a result page / API URL', () => {
    const id = '0123456789abcdef0123';
    expect(resolveResultTarget(id, 'https://h.example.org/')).toEqual({ site: 'https://h.example.org', id });
    expect(resolveResultTarget(`https://h.example.org/results/${id}`, undefined)).toEqual({ site: 'https://h.example.org', id });
    expect(resolveResultTarget(`http://127.0.0.1:3000/sub/api/results/${id}/envelope`, undefined)).toEqual({ site: 'http://127.0.0.1:3000/sub', id });
    expect(() => resolveResultTarget(id, undefined)).toThrow(/--site/);
    expect(() => resolveResultTarget('https://h.example.org/suites/tiny@1', undefined)).toThrow(/result URL/);
    expect(() => resolveResultTarget('xyz', 'https://h.example.org')).toThrow(/20 hex digits/);
  });

  it('the verdict table names each differing metric with both values, the difference and the tolerance', async () => {
    const a = await validBundle(1);
    const b = structuredClone(a);
    b.energy!.aie += 0.01;
    const t = verdictTable(compareBundles(a, b), a, b);
    expect(t.split('\n')[0]).toMatch(/^verdict: differs {2}\(\d+ metrics compared, max \|diff\| 1\.00e-2/);
    expect(t).toMatch(/^energy\.aie +[\d.]+ +[\d.]+ +1\.00e-2 +1\.\de-4 +DIFFERS$/m);
    expect(t.split('\n').at(-1)).toBe('differs: energy.aie');
    expect(verdictTable(compareBundles(a, a), a, a).split('\n')[0]).toMatch(/^verdict: exact /);
  });
});
