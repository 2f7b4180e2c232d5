import { describe, expect, it } from 'vitest';
import {
  compareBundles,
  deriveTrustTier,
  EPOCH_TOLERANCES,
  repeatedRunRecord,
  parseReproductionStatementBytes,
  ReproductionStatementSchema,
  utf8,
  type ResultBundle,
} from '../../../contract';
import { makeBundle, validBundle } from '../../fixtures/bundle';

const pair = async (): Promise<[ResultBundle, ResultBundle]> => {
  const a = await validBundle(3);
  return [a, structuredClone(a)];
};

describe('compareBundles', () => {
  it('identical bundles are exact; timings and memory are never compared', async () => {
    const [a, b] = await pair();
    b.summary!.wall_time_s += 100;
    b.summary!.samples_per_sec *= 3;
    b.summary!.peak_memory_mb += 1;
    const c = compareBundles(a, b);
    expect(c).toMatchObject({ verdict: 'exact', same_environment: true, max_abs_diff: 0, differing: [], inexact: [] });
    // status, epoch count, 5 summary, 8 energy and 13 fields per epoch row
    expect(c.compared).toBe(2 + 5 + 8 + 13 * a.epochs.length);
  });

  it('float32-rounding differences on another backend are within, and the environment is reported', async () => {
    const [a, b] = await pair();
    b.environment.backend = a.environment.backend === 'cpu' ? 'wasm' : 'cpu';
    b.epochs[2]!.feat_dot += 4.85e-7; // the largest difference measured between wasm and cpu
    b.energy!.aie += 2.6e-8;
    const c = compareBundles(a, b);
    expect(c.verdict).toBe('within');
    expect(c.same_environment).toBe(false);
    expect(c.inexact.map((m) => m.metric)).toEqual(['epochs.2.feat_dot', 'energy.aie']);
  });

  it('differs names each metric outside its tolerance, largest first, with its difference and tolerance', async () => {
    const [a, b] = await pair();
    b.energy!.aie += 0.01;
    b.epochs[1]!.test_acc += 0.006; // accuracies allow 0.005
    b.epochs[1]!.val_loss += 1e-6; // within
    const c = compareBundles(a, b);
    expect(c.verdict).toBe('differs');
    expect(c.differing.map((m) => m.metric)).toEqual(['energy.aie', 'epochs.1.test_acc']);
    expect(c.differing[0]).toMatchObject({ ok: false, original: a.energy!.aie, rerun: b.energy!.aie });
    expect(c.differing[0]!.abs_diff).toBeCloseTo(0.01, 12);
    expect(c.differing[1]!.tolerance).toBe(0.005);
    expect(c.inexact.map((m) => m.metric)).toEqual(['epochs.1.val_loss']);
  });

  it('relative tolerance scales with the value (feat_dot of 1e4 may move by ~1)', async () => {
    const [a, b] = await pair();
    a.epochs[1]!.feat_dot = 1e4;
    b.epochs[1]!.feat_dot = 1e4 + 0.9;
    expect(compareBundles(a, b).verdict).toBe('within');
    b.epochs[1]!.feat_dot = 1e4 + 1.1;
    expect(compareBundles(a, b).differing.map((m) => m.metric)).toEqual(['epochs.1.feat_dot']);
    expect(EPOCH_TOLERANCES.feat_dot).toEqual({ abs: 1e-4, rel: 1e-4 });
  });

  it('a different status, epoch count or best epoch differs', async () => {
    const [a, b] = await pair();
    b.status = 'error';
    b.summary = null;
    b.epochs = b.epochs.slice(0, 2);
    const c = compareBundles(a, b);
    expect(c.verdict).toBe('differs');
    expect(c.differing.map((m) => m.metric)).toEqual(expect.arrayContaining(['status', 'epochs.length', 'summary.test_acc', 'summary.best_epoch']));
    const [x, y] = await pair();
    y.summary!.best_epoch = x.summary!.best_epoch + 1;
    expect(compareBundles(x, y).differing.map((m) => m.metric)).toEqual(['summary.best_epoch']);
  });
});

describe('ReproductionStatement', () => {
  it('parses a valid statement and names the field of an invalid one', async () => {
    const st = { schema_version: 1, original: { result_id: 'a'.repeat(20), payload_sha256: 'b'.repeat(64) }, bundle: await validBundle(1), verdict: 'exact', created_at: '2026-11-30T07:00:00Z' };
    expect(ReproductionStatementSchema.parse(st).verdict).toBe('exact');
    const bad = parseReproductionStatementBytes(utf8.encode(JSON.stringify({ ...st, verdict: 'reproduced' })));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]!.path).toBe('verdict');
    const nul = parseReproductionStatementBytes(utf8.encode(JSON.stringify({ ...st, original: { ...st.original, result_id: 'x\u0000' } })));
    expect(!nul.ok && nul.issues[0]!.path).toBe('original.result_id');
    expect(parseReproductionStatementBytes(utf8.encode('{')).ok).toBe(false);
  });
});

describe('deriveTrustTier and repeatedRunRecord', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();
  const rep = (identity: string | null, verdict: 'exact' | 'within' | 'differs', m = 0) => ({ identity, verdict, received_at: at(m) });

  it('counts identities other than the owner, each once; one differs flags, two refute', () => {
    expect(deriveTrustTier('o', [])).toBe('signed');
    expect(deriveTrustTier('o', [rep('o', 'exact'), rep(null, 'exact')])).toBe('signed');
    expect(deriveTrustTier('o', [rep('a', 'within')])).toBe('reproduced');
    expect(deriveTrustTier('o', [rep('a', 'exact'), rep('b', 'differs'), rep('c', 'exact')])).toBe('disputed');
    expect(deriveTrustTier('o', [rep('b', 'differs'), rep('b', 'differs', 1)])).toBe('disputed');
    expect(deriveTrustTier('o', [rep('b', 'differs'), rep('c', 'differs')])).toBe('refuted');
    expect(deriveTrustTier('o', [rep('o', 'differs'), rep(null, 'differs'), rep('c', 'differs')])).toBe('disputed');
  });

  it('a maintainer confirms (refuted) or clears (differs up to the review stop counting)', () => {
    expect(deriveTrustTier('o', [rep('a', 'exact')], { kind: 'confirmed', at: at(5) })).toBe('refuted');
    const reps = [rep('a', 'exact', 1), rep('b', 'differs', 2), rep('c', 'differs', 3)];
    expect(deriveTrustTier('o', reps, { kind: 'cleared', at: at(4) })).toBe('reproduced');
    expect(deriveTrustTier('o', [...reps, rep('d', 'differs', 6)], { kind: 'cleared', at: at(4) })).toBe('disputed');
  });

  it('a copy repeats the run record; a rerun does not', () => {
    const b = makeBundle();
    const rerun = { ...structuredClone(b), started_at: '2027-01-01T00:00:00.000Z', finished_at: '2027-01-01T00:01:00.000Z' };
    rerun.summary!.wall_time_s += 1;
    expect(repeatedRunRecord(b, rerun)).toBeNull();
    expect(repeatedRunRecord(b, structuredClone(b))).toBe('started_at');
    expect(repeatedRunRecord(b, { ...rerun, finished_at: b.finished_at })).toBe('finished_at');
    expect(repeatedRunRecord(b, { ...rerun, summary: { ...rerun.summary!, wall_time_s: b.summary!.wall_time_s } })).toBe('summary.wall_time_s');
  });
});
