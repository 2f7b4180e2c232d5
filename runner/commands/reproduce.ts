import { existsSync } from 'node:fs';
import {
  suiteSlug,
  canonicalize,
  compareBundles,
  fingerprint,
  parseResultBundleBytes,
  REPRODUCTION_PAYLOAD_TYPE,
  REPRODUCTION_SCHEMA_VERSION,
  signEnvelope,
  utf8,
  type Comparison,
  type MetricComparison,
  type ReproductionStatement,
  type ResultBundle,
  ReproductionAnswerSchema,
} from '../../contract';
import { sha256HexSync } from '../../lib/sha256';
import { parseCommandArgs, usageError } from '../lib/args';
import { writeAtomic, writeBundle } from '../lib/bundle-files';
import { loadKey } from '../submit/keystore';
import { keyFile } from '../lib/paths';
import { errorText, fetchFromSite, parseAnswer, postJson, retryPolicyFromEnv, siteBase } from '../submit/site-client';
import { serialExecutor } from '../run/executor';
import { evalThreadFits } from '../run/eval-thread';
import { groupJobs } from '../run/plan';
import { BACKEND_OPTION, backendPref, startBackend } from './backend-flag';
import { CliError } from '../lib/cli-error';
import type { Command } from './types';

const usage = `Usage: headprep reproduce <result id | result URL> [--site URL] [options]

Fetches a stored result's exact bundle (its config, fingerprint and seed) from the site, reruns
that one cell here, and compares every metric with the stored bundle (timings excepted):
  exact    every metric bit-for-bit equal (expected with the same runner version and backend)
  within   every metric within the documented tolerance (another backend or version;
           docs/reproductions.md)
  differs  at least one metric outside its tolerance (the table names them)
With --submit, signs a reproduction statement (the original result id, your rerun's bundle and
the verdict) with your key and uploads it to POST /api/reproductions; the site recomputes the
verdict itself. An approved key's "exact" or "within" marks the result reproduced, "differs"
marks it disputed.

Options:
  --site <url>        the site (default $HEADPREP_SITE); not needed when the target is a URL
  --backend <name>    auto (default) | tensorflow | webgpu | wasm | cpu (another backend than
                      the original's gives "within" at best: float rounding differs)
  --out <dir>         also write the rerun's bundle (and the statement) here
  --submit            sign and upload the reproduction statement (needs headprep keys create)
  --json              print the comparison as JSON instead of a table
  -h, --help          show this help

Exit status: 0 exact or within, 1 differs, 2 usage or site errors.`;

/** Resolves "<id>" + --site, or a result URL (…/results/<id> or …/api/results/<id>), to (site, id). */
export function resolveResultTarget(target: string, site: string | undefined): { site: string; id: string } {
  if (/^[0-9a-f]{20}$/.test(target)) {
    if (!site) throw new CliError('a result id needs --site <url> (or HEADPREP_SITE)');
    return { site: siteBase(site), id: target };
  }
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    throw new CliError(`expected a result id (20 hex digits) or a result URL, got "${target}"`);
  }
  const m = /^(.*?)\/(?:api\/)?results\/([0-9a-f]{20})(?:\/.*)?$/.exec(u.pathname);
  if (!m || (u.protocol !== 'http:' && u.protocol !== 'https:'))
    throw new CliError(`expected a result URL like https://site/results/<id>, got "${target}"`);
  return { site: siteBase(site ?? `${u.origin}${m[1]}`), id: m[2]! };
}

const fmt = (v: number | null) => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(6));

/** The verdict table: the verdict, then the metrics that differ (or, for within, the largest inexact ones). */
export function verdictTable(c: Comparison, original: ResultBundle, rerun: ResultBundle): string {
  const env = (b: ResultBundle) => `runner ${b.environment.runner_version}, ${b.environment.backend}`;
  const lines = [
    `verdict: ${c.verdict}  (${c.compared} metrics compared, max |diff| ${c.max_abs_diff.toExponential(2)}; original: ${env(original)}; rerun: ${env(rerun)})`,
  ];
  const rows: MetricComparison[] = c.verdict === 'differs' ? c.differing : c.inexact.slice(0, 10);
  const headline: MetricComparison[] = ['test_acc', 'best_val_acc', 'lp_test_acc'].map((k) => {
    const a = original.summary?.[k as 'test_acc'] ?? null;
    const b = rerun.summary?.[k as 'test_acc'] ?? null;
    return { metric: `summary.${k}`, original: a, rerun: b, abs_diff: a === null || b === null ? null : Math.abs(a - b), tolerance: 0, ok: true };
  });
  const shown = [...headline.filter((h) => !rows.some((r) => r.metric === h.metric)), ...rows];
  const w = Math.max(24, ...shown.map((r) => r.metric.length));
  lines.push(`${'metric'.padEnd(w)}  ${'original'.padStart(12)}  ${'rerun'.padStart(12)}  ${'|diff|'.padStart(10)}  ${'tolerance'.padStart(10)}  result`);
  for (const r of shown) {
    const isHeadline = headline.includes(r);
    lines.push(
      `${r.metric.padEnd(w)}  ${fmt(r.original).padStart(12)}  ${fmt(r.rerun).padStart(12)}  ${(r.abs_diff === null ? '-' : r.abs_diff.toExponential(2)).padStart(10)}  ${(isHeadline ? '' : r.tolerance.toExponential(1)).padStart(10)}  ${isHeadline ? '' : r.ok ? 'within' : 'DIFFERS'}`,
    );
  }
  if (c.verdict === 'differs') lines.push(`differs: ${c.differing.map((d) => d.metric).join(', ')}`);
  return lines.join('\n');
}

export async function reproduceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      site: { type: 'string' },
      ...BACKEND_OPTION,
      out: { type: 'string' },
      submit: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length !== 1) throw usageError(`reproduce needs exactly one result id or URL`, usage);
  const pref = backendPref(values.backend);
  const { site, id } = resolveResultTarget(positionals[0]!, values.site ?? process.env.HEADPREP_SITE);
  if (values.submit && !existsSync(keyFile())) throw new CliError('--submit signs with your key: create one first (headprep keys create), then register it');
  const log = (l: string) => process.stderr.write(`${l}\n`);

  // The bundle exactly as signed: its config, fingerprint and seed are what gets rerun.
  const bytes = await fetchFromSite(`${site}/results/${id}/bundle.json`);
  const parsed = parseResultBundleBytes(bytes);
  if (!parsed.ok) throw new CliError(`${site}/results/${id}/bundle.json is not a ResultBundle: ${parsed.issues[0]!.path} ${parsed.issues[0]!.message}`);
  const original = parsed.value;
  const fp = await fingerprint(original.config);
  if (fp !== original.fingerprint) throw new CliError(`result ${id}: its fingerprint does not match its config (recomputed ${fp}); it cannot be reproduced`);
  const payloadSha256 = sha256HexSync(bytes);

  const backend = await startBackend(pref);
  const c = original.config;
  log(`headprep reproduce ${id}: ${suiteSlug(c.suite)} ${c.backbone.id}/${c.dataset.id} ${c.strategy.id} tau=${c.tau} seed=${c.seed}, backend ${backend.name}`);
  let rerun: ResultBundle | null = null;
  // One cell: the second core evaluates each FT epoch while the next trains (same bits).
  await serialExecutor.run(groupJobs([c]), { backend, log, evalThread: evalThreadFits(backend, 1) }, async (b) => {
    rerun = b;
  });
  if (!rerun) throw new CliError('the rerun produced no bundle', 1);
  const rb: ResultBundle = rerun;
  if (values.out) log(`rerun bundle: ${await writeBundle(values.out, rb)}`);
  const comparison = compareBundles(original, rb);
  console.log(values.json ? JSON.stringify(comparison, null, 2) : verdictTable(comparison, original, rb));

  if (values.submit) {
    const key = await loadKey();
    const statement: ReproductionStatement = {
      schema_version: REPRODUCTION_SCHEMA_VERSION,
      original: { result_id: id, payload_sha256: payloadSha256 },
      bundle: rb,
      verdict: comparison.verdict,
      created_at: new Date().toISOString(),
    };
    const env = await signEnvelope(utf8.encode(JSON.stringify(statement)), REPRODUCTION_PAYLOAD_TYPE, key.privateKey, key.publicKey);
    const body = canonicalize(env);
    if (values.out) await writeAtomic(`${values.out}/reproduction-${id}.envelope.json`, `${body}\n`);
    const res = await postJson(`${site}/api/reproductions`, body, retryPolicyFromEnv(), {
      onRetry: (why, n, ms) => log(`retry ${n} in ${(ms / 1000).toFixed(1)} s: ${why}`),
    });
    if (res.status !== 200 && res.status !== 201) throw new CliError(`POST ${site}/api/reproductions: ${res.status} ${errorText(res.body) ?? ''}`);
    const a = parseAnswer(`${site}/api/reproductions`, res, ReproductionAnswerSchema);
    log(
      `submitted reproduction ${a.id}: site verdict ${a.verdict}; result ${id} is now ${a.result_trust_tier}` +
        (a.counts ? '' : ` (your key is ${a.key_status}: it counts once a maintainer approves it)`),
    );
  }
  return comparison.verdict === 'differs' ? 1 : 0;
}

export const reproduceCommandDef: Command = {
  name: 'reproduce',
  summary: 'rerun a stored result and compare: exact, within tolerance, or differs (--submit signs and uploads it)',
  usage,
  run: (argv) => reproduceCommand(argv),
};
