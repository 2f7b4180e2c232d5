import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintInput, type CellConfig } from '../../../contract';
import { makeConfig } from '../../fixtures/bundle';

function shuffleKeys(value: unknown, rng: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rng));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rng)]));
  }
  return value;
}

describe('fingerprint', () => {
  it('is 64 lowercase hex and equal for equal configs', async () => {
    const a = await fingerprint(makeConfig());
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await fingerprint(makeConfig())).toBe(a);
  });

  it('is stable under key reordering at every level', async () => {
    const base = await fingerprint(makeConfig());
    let s = 42;
    const rng = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const texts = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const shuffled = shuffleKeys(makeConfig(), rng) as CellConfig;
      texts.add(JSON.stringify(shuffled));
      expect(await fingerprint(shuffled)).toBe(base);
    }
    expect(texts.size).toBeGreaterThan(10); // the shuffles really produced different texts
  });

  it('is unchanged by number formatting on the wire (1e-3 vs 0.001, 1.0 vs 1)', async () => {
    const text = JSON.stringify(makeConfig()).replace('"lr":0.001', '"lr":1e-3').replace('"temperature":1', '"temperature":1.0');
    expect(text).toContain('1e-3');
    expect(await fingerprint(JSON.parse(text) as CellConfig)).toBe(await fingerprint(makeConfig()));
  });

  it('excludes the seed and includes every score-affecting field', async () => {
    const base = await fingerprint(makeConfig());
    expect(await fingerprint(makeConfig({ seed: 7 }))).toBe(base);
    expect(fingerprintInput(makeConfig())).not.toContain('"seed"');
    const changed: Partial<CellConfig>[] = [
      { tau: 5 },
      { eta: 0.1 },
      { temperature: 2 },
      { eval_set_size: 255 },
      { head: { kind: 'mlp', depth: 2, width: 64, init: 'default' } },
      { suite: { name: 'tiny', version: 2 } },
      { strategy: { id: 'hp-tau', version: 2 } },
      { ft: { ...makeConfig().ft, lr: 0.002 } },
      { hp: { ...makeConfig().hp, batch_size: 64 } },
      { augmentation: { kind: 'shift', max_shift: 2 } },
      { backbone: { ...makeConfig().backbone, sha256: 'd'.repeat(64) } },
      { dataset: { ...makeConfig().dataset, n_train: 501 } },
    ];
    const seen = new Set([base]);
    for (const c of changed) {
      const f = await fingerprint(makeConfig(c));
      expect(seen.has(f), JSON.stringify(c)).toBe(false);
      seen.add(f);
    }
  });

  it('matches an independent sha256 of the canonical text (node:crypto)', async () => {
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256').update(fingerprintInput(makeConfig()), 'utf8').digest('hex');
    expect(await fingerprint(makeConfig())).toBe(expected);
  });
});
