import { describe, expect, it } from 'vitest';
import {
  CellConfigSchema,
  fieldIssues,
  parseResultBundleBytes,
  ResultBundleSchema,
  SCHEMA_NAMES,
  STRATEGY_IDS,
  utf8,
} from '../../../contract';
import { jsonSchemas } from '../../../contract';
import { makeBundle, makeConfig } from '../../fixtures/bundle';

function issuesOf(value: unknown) {
  const r = ResultBundleSchema.safeParse(value);
  return r.success ? [] : fieldIssues(r.error);
}

describe('CellConfig', () => {
  it('accepts the valid fixture for every strategy', () => {
    for (const id of STRATEGY_IDS) {
      expect(CellConfigSchema.safeParse(makeConfig({ strategy: { id, version: 1 } })).success).toBe(true);
    }
  });

  it('rejects invalid fields with their paths', () => {
    const bad = { ...makeConfig(), head: { kind: 'transformer', depth: 1, width: 0, init: 'default' } };
    const r = CellConfigSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(fieldIssues(r.error!).map((i) => i.path)).toContain('head.kind');

    const r2 = CellConfigSchema.safeParse({ ...makeConfig(), eta: 1.5, extra: true });
    const paths = fieldIssues(r2.error!).map((i) => i.path);
    expect(paths).toContain('eta');
    expect(r2.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);

    const r3 = CellConfigSchema.safeParse({ ...makeConfig(), backbone: { ...makeConfig().backbone, sha256: 'XYZ' } });
    expect(fieldIssues(r3.error!)).toEqual([{ path: 'backbone.sha256', message: expect.stringContaining('sha256') }]);
  });
});

describe('ResultBundle', () => {
  it('accepts a valid ok bundle and a valid error bundle', () => {
    expect(issuesOf(makeBundle())).toEqual([]);
    const err = { ...makeBundle(), status: 'error', error_message: 'out of memory', summary: null, epochs: [] };
    expect(issuesOf(err)).toEqual([]);
  });

  it('rejects NaN and Infinity metrics (as they arrive from JSON numbers too)', () => {
    const b = makeBundle();
    b.epochs[1]!.feat_l2_dist = NaN;
    expect(issuesOf(b).map((i) => i.path)).toContain('epochs.1.feat_l2_dist');
    const c = makeBundle();
    c.summary!.wall_time_s = Infinity;
    expect(issuesOf(c).map((i) => i.path)).toContain('summary.wall_time_s');
    // JSON.parse of 1e999 gives Infinity
    const text = JSON.stringify(makeBundle()).replace('"feat_dot":10', '"feat_dot":1e999');
    const p = parseResultBundleBytes(utf8.encode(text));
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.issues.map((i) => i.path)).toContain('epochs.0.feat_dot');
  });

  it('checks cross-field consistency with paths', () => {
    const b = makeBundle();
    b.epochs.pop();
    expect(issuesOf(b).map((i) => i.path)).toContain('epochs');
    const c = makeBundle();
    c.epochs[1]!.epoch = 5;
    expect(issuesOf(c).map((i) => i.path)).toContain('epochs.1.epoch');
    const d = { ...makeBundle(), suite: { name: 'other', version: 1 } };
    expect(issuesOf(d).map((i) => i.path)).toContain('suite');
    const e = { ...makeBundle(), status: 'error' };
    expect(issuesOf(e).map((i) => i.path)).toContain('error_message');
    const f = makeBundle();
    f.energy!.aie = 1.5; // above sqrt(2)
    expect(issuesOf(f).map((i) => i.path)).toContain('energy.aie');
    const g = makeBundle();
    g.summary!.test_acc = 1.2;
    expect(issuesOf(g).map((i) => i.path)).toContain('summary.test_acc');
  });

  it('parseResultBundleBytes separates UTF-8, JSON and schema failures', () => {
    expect(parseResultBundleBytes(new Uint8Array([0xff, 0xfe])).ok).toBe(false);
    const j = parseResultBundleBytes(utf8.encode('{"a":'));
    expect(j.ok ? null : j.code).toBe('json');
    const s = parseResultBundleBytes(utf8.encode('{"schema_version":1}'));
    expect(s.ok ? null : s.code).toBe('schema');
    const ok = parseResultBundleBytes(utf8.encode(JSON.stringify(makeBundle())));
    expect(ok.ok).toBe(true);
  });
});

describe('JSON Schema export', () => {
  it('exports every wire type with an $id, and the committed files are current', async () => {
    const { readFileSync } = await import('node:fs');
    const all = jsonSchemas();
    for (const name of SCHEMA_NAMES) {
      expect(all[name].$id).toContain(name);
      const committed = readFileSync(new URL(`../../../contract/json-schema/${name}.schema.json`, import.meta.url), 'utf8');
      expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(all[name])));
    }
    const props = (all['result-bundle'].properties as Record<string, { description?: string }>) ?? {};
    expect(props.fingerprint?.description).toMatch(/fingerprint/i);
  });
});
