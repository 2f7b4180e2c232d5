import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  suiteSlug,
  canonicalize,
  CellConfigSchema,
  fingerprint,
  formatIssues,
  RESULT_PAYLOAD_TYPE,
  signEnvelope,
  utf8,
  type CellConfig,
  type ResultBundle,
  shortId,
} from '../../contract';
import { parseCommandArgs, usageError } from '../lib/args';
import { bundleBaseName, finishedCells, writeAtomic, writeBundle } from '../lib/bundle-files';
import { loadKey, type LoadedKey } from '../submit/keystore';
import { keyFile } from '../lib/paths';
import { plural, Progress } from '../lib/progress';
import { expectedBandReport } from '../submit/expected-band';
import { serialExecutor, type Executor } from '../run/executor';
import type { RunEvent } from '../run/job';
import { groupJobs, planCells } from '../run/plan';
import { parseShard, shardCells, type ShardSpec } from '../run/shard';
import { getSuite } from '../protocols/suites/index';
import type { BackendInfo } from '../train/backend';
import { BACKEND_OPTION, backendPref, startBackend } from './backend-flag';
import { defaultJobs, parallelExecutor, parseJobs } from '../run/pool';
import { evalThreadFits } from '../run/eval-thread';
import { CliError } from '../lib/cli-error';
import { fetchFromSite } from '../submit/site-client';
import type { Command } from './types';

const usage = `Usage: headprep run <suite@version | config.json | URL> [options]

Runs a suite (e.g. tiny@1, synthetic-linear@1, digits-mlp@1; see "headprep suites") or a single
CellConfig JSON from a file or an http(s) URL (the site serves one at /api/configs/<id>; after a
full rerun of one, run says whether each seed landed in the site's expected band).
Each finished cell is written at once, atomically, as <out>/<name>.bundle.json, plus a signed
<name>.envelope.json when you have a key (headprep keys create). A failing cell is written with
status "error" and the sweep continues. Ctrl-C or a crash never loses finished cells.

Options:
  --seeds <list>      comma-separated seeds, overriding the suite's (or the config's) seeds
  --backend <name>    auto (default) | tensorflow | webgpu | wasm | cpu (auto: tfjs-node-gpu,
                      then webgpu on a hardware GPU adapter, then tfjs-node, wasm, cpu;
                      docs/gpu.md)
  --out <dir>         output directory (default runs/<suite>@<version>)
  --resume            skip cells that already have an "ok" bundle in --out
  --smoke             shrink every cell for a quick check: 1 FT epoch, tau <= 1, small splits
                      (the fingerprint changes: smoke bundles are not leaderboard results)
  --jobs <n>          n worker threads, one tfjs instance each, each running whole probe groups
                      (cells that share one head probing) (default: the number of
                      cores, here ${defaultJobs()}, for wasm/cpu; 1 for native tensorflow and webgpu; 1 = in
                      this thread)
  --shard <i/n>       run only shard i (0-based) of n: a deterministic partition of the cells that
                      keeps each tau sweep together, for Slurm arrays, indexed Jobs, CI matrices
                      (docs/sharding.md)
  -h, --help          show this help`;

/** Shrinks a cell for a quick "does this config run here" check. */
export function smokeConfig(c: CellConfig): CellConfig {
  const n_test = Math.min(c.dataset.n_test, 128);
  return {
    ...c,
    dataset: { ...c.dataset, n_train: Math.min(c.dataset.n_train, 128), n_val: Math.min(c.dataset.n_val, 64), n_test },
    tau: Math.min(c.tau, 1),
    ft: { ...c.ft, epochs: Math.min(c.ft.epochs, 1) },
    eval_set_size: Math.min(c.eval_set_size, 64, n_test),
  };
}

export function parseSeeds(s: string): number[] {
  const seeds = s.split(',').map((x) => x.trim());
  if (seeds.some((x) => !/^\d+$/.test(x) || Number(x) > 2 ** 31 - 1))
    throw new CliError(`--seeds: expected comma-separated non-negative integers, got "${s}"`);
  return [...new Set(seeds.map(Number))];
}

async function loadConfigText(target: string): Promise<string> {
  if (/^https?:\/\//.test(target)) {
    return utf8.decode(await fetchFromSite(target));
  }
  try {
    return await readFile(target, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Resolves the run target into cells and a default output dir name. */
async function resolveTarget(target: string, seeds: number[] | undefined, backend: BackendInfo, log: (l: string) => void): Promise<{ cells: CellConfig[]; name: string }> {
  const looksLikeConfig = /^https?:\/\//.test(target) || target.endsWith('.json') || existsSync(target);
  if (!looksLikeConfig) {
    let suite;
    try {
      suite = getSuite(target);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    return { cells: await planCells(suite, { backend, seeds, log }), name: suiteSlug(suite) };
  }
  const text = await loadConfigText(target);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${target}: not JSON (${(e as Error).message})`);
  }
  const parsed = CellConfigSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`${target}: not a CellConfig: ${formatIssues(parsed.error)}`);
  const cfg = parsed.data;
  const cells = (seeds ?? [cfg.seed]).map((seed) => ({ ...cfg, seed }));
  return { cells, name: `${suiteSlug(cfg.suite)}-config-${shortId(await fingerprint(cfg))}` };
}

function describe(c: CellConfig): string {
  return `${c.backbone.id}/${c.dataset.id} ${c.strategy.id} tau=${c.tau} seed=${c.seed}`;
}

export interface RunOptions {
  executor?: Executor;
}

export async function runCommand(argv: string[], opts: RunOptions = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      seeds: { type: 'string' },
      ...BACKEND_OPTION,
      out: { type: 'string' },
      resume: { type: 'boolean' },
      smoke: { type: 'boolean' },
      jobs: { type: 'string' },
      shard: { type: 'string' },
    },
    usage,
  );
  const target = positionals[0];
  if (!target || positionals.length > 1) throw usageError(`run needs exactly one target`, usage);
  const pref = backendPref(values.backend);
  const seeds = values.seeds !== undefined ? parseSeeds(values.seeds) : undefined;
  let nJobs = defaultJobs();
  let shard: ShardSpec | null = null;
  try {
    if (values.jobs !== undefined) nJobs = parseJobs(values.jobs);
    if (values.shard !== undefined) shard = parseShard(values.shard);
  } catch (e) {
    throw new CliError((e as Error).message);
  }

  const backend = await startBackend(pref);
  // Native TensorFlow (tfjs-node / -gpu) is multi-threaded itself and holds one GPU: one job at a time.
  if (values.jobs === undefined && backend.name === 'tensorflow') nJobs = 1;
  // webgpu: one device, created in this thread; worker threads would each open their own.
  if (backend.name === 'webgpu') {
    if (nJobs > 1 && values.jobs !== undefined) process.stderr.write(`--jobs ${nJobs}: the webgpu backend runs one job at a time (one GPU device); using 1\n`);
    nJobs = 1;
  }
  for (const s of backend.skipped.filter((l) => l.includes('SOFTWARE'))) process.stderr.write(`${s}\n`);
  const log = (l: string) => process.stderr.write(`${l}\n`);
  let { cells, name } = await resolveTarget(target, seeds, backend, log).catch((e: unknown) => {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message);
  });
  if (values.smoke) {
    cells = cells.map(smokeConfig);
    name += '-smoke';
  }
  // Shard the full cell list before --resume filtering, so the partition never moves.
  const planned = cells.length;
  if (shard) cells = await shardCells(cells, shard);
  const out = values.out ?? `runs/${name}`;

  // Resume: cells whose bundle already exists with status "ok" are skipped.
  const named = await Promise.all(cells.map(async (c) => ({ c, base: bundleBaseName(c, await fingerprint(c)) })));
  const finished = await finishedCells(out);
  const already = named.filter((n) => finished.has(n.base));
  if (already.length && !values.resume)
    throw new CliError(`${out} already holds ${already.length} finished cell(s) of this run; pass --resume to skip them, or choose another --out`);
  const todo = named.filter((n) => !finished.has(n.base)).map((n) => n.c);
  const jobs = groupJobs(todo);

  let key: LoadedKey | null = null;
  if (existsSync(keyFile())) key = await loadKey();
  log(
    `headprep run ${name}${shard ? ` shard ${shard.index}/${shard.count} (${cells.length} of ${plural(planned, 'cell')})` : ''}: ${plural(cells.length, 'cell')} (${already.length} already done, ${todo.length} to run in ${plural(jobs.length, 'probe group')}), backend ${backend.name}, out ${out}` +
      (key ? `, signing with key ${shortId(key.keyid)}` : ''),
  );

  const progress = new Progress(todo.length);
  const onEvent = (e: RunEvent) => {
    if (e.kind === 'hp-epoch') progress.update(`HP ${e.job.cells[0] ? describe(e.job.cells[0]).replace(/ tau=\d+/, '') : ''} epoch ${e.epoch}/${e.of}`);
    else if (e.kind === 'cell-start') progress.update(`${describe(e.cell)} FT epoch 0/${e.cell.ft.epochs}`);
    else if (e.kind === 'ft-epoch') progress.update(`${describe(e.cell)} FT epoch ${e.epoch}/${e.of}`);
  };
  const interrupted = () => {
    progress.log(`\ninterrupted: finished cells are in ${out}; rerun with --resume to continue`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let ok = 0;
  let failed = 0;
  try {
    // One job at a time (a single cell, --jobs 1) leaves a core idle: it evaluates each FT epoch
    // while the next one trains (runner/run/eval-thread.ts; same bits).
    const evalThread = evalThreadFits(backend, Math.max(1, Math.min(nJobs, jobs.length)));
    const ctx = { backend, onEvent, log: (l: string) => progress.log(l), evalThread };
    await (opts.executor ?? (nJobs > 1 ? parallelExecutor({ jobs: nJobs }) : serialExecutor)).run(jobs, ctx, async (b: ResultBundle) => {
      const file = await writeBundle(out, b);
      if (key) {
        const bytes = utf8.encode(await readFile(file, 'utf8'));
        const env = await signEnvelope(bytes, RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
        await writeAtomic(file.replace(/\.bundle\.json$/, '.envelope.json'), `${canonicalize(env)}\n`);
      }
      if (b.status === 'ok') ok++;
      else failed++;
      const s = b.summary;
      progress.cellDone(
        b.status === 'ok' && s && b.energy
          ? `ok    ${describe(b.config)} aie=${b.energy.aie.toFixed(4)} test_acc=${s.test_acc.toFixed(4)} (${s.wall_time_s.toFixed(1)}s)`
          : `ERROR ${describe(b.config)}: ${b.error_message}`,
      );
    });
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
  progress.finish();
  log(`done: ${ok} ok, ${failed} failed, ${already.length} skipped (already done); bundles in ${out}`);
  // A full rerun of a site's reference config: where it landed against the site's band.
  if (!values.smoke) for (const l of await expectedBandReport(target, out)) log(l);
  if (!key && ok + failed > 0) log(`hint: bundles are unsigned. Create a key with "headprep keys create", then sign them with "headprep sign ${out}"`);
  return failed > 0 ? 1 : 0;
}

export const runCommandDef: Command = {
  name: 'run',
  summary: 'run a suite or a single cell config and write result bundles',
  usage,
  run: (argv) => runCommand(argv),
};
