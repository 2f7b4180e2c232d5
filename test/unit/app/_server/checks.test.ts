import { describe, expect, it, vi } from 'vitest';
import { fingerprint, type ResultBundle, type Suite } from '../../../../contract';
import { CHECKS, maxPayloadBytes, runChecks } from '../../../../app/_server/checks';
import { validBundle } from '../../../fixtures/bundle';
import tiny from '../../../../contract/suites/tiny@1.json';

vi.mock('server-only', () => ({}));

const suite = tiny as Suite;
const now = new Date('2026-11-27T12:00:00Z');

async function failing(edit: (b: ResultBundle) => void | Promise<void>, s: Suite | null = suite) {
  const b = await validBundle(0);
  await edit(b);
  return runChecks(b, { suite: s, now });
}

describe('ingest checks', () => {
  it('a valid tiny@1 bundle passes every check', async () => {
    expect(await failing(() => {})).toBeNull();
  });

  it('names every check once, in pipeline order', () => {
    expect(CHECKS.map((c) => c.name)).toEqual([
      'suite_known', 'strategy_known', 'fingerprint', 'suite_cell', 'epochs_capped', 'payload_size', 'metrics_finite', 'epochs_consistent', 'environment_present', 'timestamps',
    ]);
  });

  it.each([
    ['suite_known', 'suite', null as Suite | null, (): void => {}],
    ['strategy_known', 'config.strategy.version', suite, (b: ResultBundle): void => { b.config.strategy.version = 2; }],
    // a runner that changed its config signs a matching fingerprint: the suite check catches it
    ['suite_cell', 'config.backbone.id', suite, async (b: ResultBundle) => { b.config.backbone.id = 'mlp-digits'; b.fingerprint = await fingerprint(b.config); }],
    // lp is in the grid at tau 8, with its own override: no FT epochs
    ['suite_cell', 'config.ft.epochs', suite, async (b: ResultBundle) => { b.config.strategy.id = 'lp'; b.config.tau = 8; b.fingerprint = await fingerprint(b.config); }],
    ['suite_cell', 'config.tau', suite, async (b: ResultBundle) => { b.config.tau = 3; b.fingerprint = await fingerprint(b.config); }],
    ['suite_cell', 'config.hp.lr', suite, async (b: ResultBundle) => { b.config.hp.lr = 0.3; b.fingerprint = await fingerprint(b.config); }],
    ['suite_cell', 'config.ft.epochs', suite, async (b: ResultBundle) => {
      b.config.ft.epochs = 2; b.epochs.pop(); b.fingerprint = await fingerprint(b.config);
      Object.assign(b.summary!, { best_epoch: 2, test_acc: b.epochs[2]!.test_acc, best_val_acc: b.epochs[2]!.val_acc, last_test_acc: b.epochs[2]!.test_acc });
    }],
    ['suite_cell', 'config.head.width', suite, async (b: ResultBundle) => { b.config.head.width = 8; b.fingerprint = await fingerprint(b.config); }],
    ['suite_cell', 'config.eval_set_size', suite, async (b: ResultBundle) => { b.config.eval_set_size = 100; b.fingerprint = await fingerprint(b.config); }],
    ['fingerprint', 'fingerprint', suite, (b: ResultBundle): void => { b.config.eta = 0.1; }],
    ['metrics_finite', 'epochs.1.feat_dot', suite, (b: ResultBundle): void => { b.epochs[1]!.feat_dot = Number.POSITIVE_INFINITY; }],
    ['epochs_consistent', 'summary.best_epoch', suite, (b: ResultBundle): void => { b.summary!.best_epoch = 1; }],
    ['epochs_consistent', 'summary.last_test_acc', suite, (b: ResultBundle): void => { b.summary!.last_test_acc = 0.1; }],
    ['epochs_consistent', 'summary.lp_test_acc', suite, (b: ResultBundle): void => { b.summary!.lp_test_acc = 0.5; }],
    ['environment_present', 'environment.cpu', suite, (b: ResultBundle): void => { b.environment.cpu = '  '; }],
    ['timestamps', 'finished_at', suite, (b: ResultBundle): void => { b.finished_at = '2027-01-01T00:00:00Z'; }],
  ] as const)('%s fails at %s', async (check, path, s, edit) => {
    const f = await failing(edit, s);
    expect(f).toMatchObject({ check, path });
    expect(f!.message.length).toBeGreaterThan(15);
  });

  it('fingerprint recomputation agrees with the contract', async () => {
    const b = await validBundle(5);
    expect(b.fingerprint).toBe(await fingerprint(b.config));
    b.config.seed = 99; // the seed is excluded from the fingerprint
    expect(await runChecks(b, { suite, now })).toBeNull();
  });

  it('best epoch without a validation split is the last epoch', async () => {
    const b = await validBundle(0);
    b.config.dataset.n_val = 0;
    b.fingerprint = await fingerprint(b.config);
    b.epochs.at(-1)!.val_acc = 0; // ignored when there is no validation split
    b.summary!.best_val_acc = 0;
    expect(await runChecks(b, { suite, now })).toBeNull();
  });

  it('epochs_capped: an error bundle with 3,491 epoch rows is refused at epochs (the suite runs 3 + 1)', async () => {
    const b = await validBundle(0);
    b.status = 'error';
    b.summary = null;
    b.error_message = 'diverged';
    const row = b.epochs[0]!;
    b.epochs = Array.from({ length: 3491 }, (_, epoch) => ({ ...row, epoch }));
    const f = await runChecks(b, { suite, now });
    expect(f).toMatchObject({ check: 'epochs_capped', path: 'epochs' });
    expect(f!.message).toContain(`config.ft.epochs + 1 = ${b.config.ft.epochs + 1}`);
    // an error bundle that stopped early, or ran every epoch, is fine
    b.epochs = b.epochs.slice(0, b.config.ft.epochs + 1);
    expect(await runChecks(b, { suite, now })).toBeNull();
  });

  it('payload_size: the payload may not exceed what a cell of the suite can produce', async () => {
    const b = await validBundle(0);
    const max = maxPayloadBytes(b.config.ft.epochs);
    expect(max).toBe(64 * 1024 + (b.config.ft.epochs + 1) * 1024);
    // a real compact payload is far below it, and so is a pretty-printed one
    expect(JSON.stringify(b, null, 2).length).toBeLessThan(max / 4);
    expect(await runChecks(b, { suite, now, payloadBytes: max })).toBeNull();
    const f = await runChecks(b, { suite, now, payloadBytes: max + 1 });
    expect(f).toMatchObject({ check: 'payload_size' });
    expect(f!.message).toContain(`at most ${max} bytes`);
  });

  it('error bundles skip summary consistency', async () => {
    const b = await validBundle(0);
    b.status = 'error';
    b.summary = null;
    b.error_message = 'out of memory';
    expect(await runChecks(b, { suite, now })).toBeNull();
  });
});
