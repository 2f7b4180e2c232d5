import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meanCI95, sampleStd, tQuantile975 } from '../../../../contract';
import { predictionInterval95FromCI } from '../../../../contract/prediction-interval';
import { bandLines, expectedBandReport, type SiteReference } from '../../../../runner/submit/expected-band';
import { makeBundle, makeConfig } from '../../../fixtures/bundle';

const FP = 'c'.repeat(64);

function bundleWith(acc: number, seed = 0) {
  const b = makeBundle(makeConfig({ seed }), FP);
  return { ...b, summary: { ...b.summary!, test_acc: acc } };
}

describe('prediction interval for one rerun', () => {
  it('equals mean +- t(n-1) * s * sqrt(1 + 1/n), computed from the CI alone', () => {
    const xs = [0.71, 0.74, 0.73, 0.69];
    const ci = meanCI95(xs);
    const pi = predictionInterval95FromCI(ci.mean, ci, xs.length)!;
    const half = tQuantile975(3) * sampleStd(xs) * Math.sqrt(1 + 1 / 4);
    expect(pi.lo).toBeCloseTo(ci.mean - half, 12);
    expect(pi.hi).toBeCloseTo(ci.mean + half, 12);
    expect(pi.hi - pi.lo).toBeGreaterThan(ci.hi - ci.lo);
    expect(predictionInterval95FromCI(0.7, { lo: 0.7, hi: 0.7 }, 1)).toBeNull();
  });
});

describe('headprep run <config URL>: the expected band', () => {
  const ref: SiteReference = { id: FP, strategy: 'lp-ft', n: 3, test_acc: { mean: 0.8, lo: 0.79, hi: 0.81 } };

  it('says inside or outside the prediction interval, per seed', () => {
    // CI half 0.01, n = 3: prediction half = 0.01 * sqrt(4) = 0.02 -> 78% .. 82%
    const lines = bandLines(ref, [bundleWith(0.805, 0), bundleWith(0.75, 1)]);
    expect(lines[0]).toBe('expected (site, 3 seeds): mean test acc 80.00%; 95% CI of the mean 79.00% - 81.00%; 95% prediction interval for one run 78.00% - 82.00%');
    expect(lines[1]).toBe('  seed 0: test acc 80.50% (+0.50 pp from the mean): INSIDE the expected band');
    expect(lines[2]).toMatch(/^ {2}seed 1: test acc 75.00% \(-5.00 pp from the mean\): OUTSIDE the expected band/);
    const single = bandLines({ ...ref, n: 1, test_acc: { mean: 0.8, lo: 0.8, hi: 0.8 } }, [bundleWith(0.8)]);
    expect(single[0]).toContain('one seed gives no interval');
    expect(single[1]).toBe('  seed 0: test acc 80.00% (+0.00 pp from the mean)');
  });

  it('reads the site list and the bundles of the run; an unknown config or a dead site is one line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'headprep-band-'));
    writeFileSync(join(out, 'x.bundle.json'), JSON.stringify(bundleWith(0.81)));
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      // an entry of GET /api/configs as the site sends it (contract ConfigListSchema)
      const listed = { ...ref, suite: 'tiny@1', backbone: 'linear', dataset: 'synthetic-linear', tau: 64, aie: { mean: 0.2, min: 0.1, max: 0.3 }, tied: 1, url: 'u', command: 'c' };
      res.end(JSON.stringify(req.url === '/api/configs' ? { configs: [listed] } : {}));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const lines = await expectedBandReport(`${site}/api/configs/${FP}`, out);
      expect(lines[1]).toBe('  seed 0: test acc 81.00% (+1.00 pp from the mean): INSIDE the expected band');
      const other = await expectedBandReport(`${site}/api/configs/${'d'.repeat(64)}`, out);
      expect(other).toEqual([`expected band: ${site} lists no reference config dddddddddddd any more (not the best of its cell, or hidden)`]);
      expect(await expectedBandReport(join(out, 'config.json'), out)).toEqual([]); // a local file: nothing to compare with
    } finally {
      server.close();
    }
    const dead = await expectedBandReport(`${site}/api/configs/${FP}`, out);
    expect(dead[0]).toMatch(/^expected band: could not read/);
  });
});
