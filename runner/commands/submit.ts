import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  fromBase64,
  parseEnvelope,
  parseResultBundleBytes,
  RESULT_PAYLOAD_TYPE,
  sha256Hex,
  signEnvelope,
  VerifyError,
  shortId,
  IngestAnswerSchema,
} from '../../contract';
import { usageError } from '../lib/args';
import { findFiles, writeAtomic } from '../lib/bundle-files';
import { loadKey, type LoadedKey } from '../submit/keystore';
import { Outbox, type OutboxEntry } from '../submit/outbox';
import { bar, formatDuration, plural } from '../lib/progress';
import { errorText, parseAnswer, postJson, retryPolicyFromEnv, siteOption, SiteUnavailableError, SiteUnreachableError } from '../submit/site-client';
import { CliError } from '../lib/cli-error';
import { bundleEnvelopeMismatch } from '../submit/envelope-check';
import type { Command } from './types';
import { defineCommand } from './define';

const usage = `Usage: headprep submit [<files | dirs>...] --site <url> [options]

Uploads signed results to a HeadPrep site. Accepts envelopes (*.envelope.json) and bundles
(*.bundle.json); a bundle without an envelope beside it is signed with your key (headprep keys
create) over its exact bytes and the envelope is written next to it. Directories are scanned with
their subfolders (runs/ finds runs/tiny/ and runs/syn/). Every envelope first goes to an on-disk outbox (<config dir>/outbox) and leaves it
only once the site has accepted it: when the site is down or failing, the next "headprep submit
--site <url>" (with or without files) sends what is still queued. Submitting the same result again
is harmless: the site answers with the original id.

Prints one line per result: its id and URL. Results signed by a key that a maintainer has not
approved yet are stored but not ranked; submit says so and how to approve your own key on a local
site (headprep keys approve). Exit code 0 when everything was accepted, 1 when something is still
queued or was refused (refused envelopes move to <outbox>/rejected/ with the reason) or when the
files and folders named hold no result files.

Options:
  --site <url>       the site (default $HEADPREP_SITE)
  --key-file <path>  private key for signing bundles (default: headprep keys show)
  --jobs <n>         parallel uploads (default 4)
  -h, --help         show this help

Retries: what can succeed a moment later (5xx, 429, timeouts, dropped connections) is retried
$HEADPREP_RETRIES times (default 4) with exponential backoff from $HEADPREP_RETRY_BASE_MS (default
500 ms). A site that cannot be reached at all (connection refused, DNS failure) stops the run at
the first try, with one line; the outbox keeps everything for the next submit.`;

/** An envelope ready to upload: its file label, the idempotency key and the exact body. */
interface Outgoing {
  label: string;
  payloadSha256: string;
  body: string;
}

/**
 * The envelopes and bundles in `paths` (directories scanned with their subfolders: runs/tiny,
 * runs/syn, ...); a bundle whose envelope lies beside it is sent as that envelope.
 */
async function collectFiles(paths: string[]): Promise<string[]> {
  const { files, problems } = await findFiles(paths, ['.envelope.json', '.bundle.json']);
  if (problems.length) throw new CliError(problems.join('\n'));
  const envs = new Set(files.filter((f) => f.endsWith('.envelope.json')).map((f) => f.slice(0, -'.envelope.json'.length)));
  return files.filter((f) => !f.endsWith('.bundle.json') || !envs.has(f.slice(0, -'.bundle.json'.length)));
}

async function envelopeToSend(file: string, text: string): Promise<Outgoing> {
  let env;
  try {
    env = parseEnvelope(text);
  } catch (e) {
    throw new CliError(`${file}: ${(e as VerifyError).message}`, 1);
  }
  if (env.payloadType !== RESULT_PAYLOAD_TYPE)
    throw new CliError(`${file}: payloadType is "${env.payloadType}", expected "${RESULT_PAYLOAD_TYPE}"`, 1);
  let payload: Uint8Array;
  try {
    payload = fromBase64(env.payload);
  } catch (e) {
    throw new CliError(`${file}: payload: ${(e as Error).message}`, 1);
  }
  return { label: file, payloadSha256: await sha256Hex(payload), body: text };
}

async function signedBundleToSend(file: string, bytes: Uint8Array, key: () => Promise<LoadedKey>): Promise<Outgoing> {
  const parsed = parseResultBundleBytes(bytes);
  if (!parsed.ok)
    throw new CliError(
      `${file}: not a valid bundle (${parsed.code}): ${parsed.issues.slice(0, 3).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
      1,
    );
  const k = await key();
  const env = await signEnvelope(bytes, RESULT_PAYLOAD_TYPE, k.privateKey, k.publicKey);
  const body = `${JSON.stringify(env)}\n`;
  const envFile = file.endsWith('.bundle.json') ? `${file.slice(0, -'.bundle.json'.length)}.envelope.json` : `${file}.envelope.json`;
  // Keep the signed copy next to the bundle; a read-only folder only costs that copy.
  if (!existsSync(envFile)) await writeAtomic(envFile, body).catch(() => {});
  return { label: file, payloadSha256: await sha256Hex(bytes), body };
}

/** What a submitter needs to know when the site stored results under a key that is still pending. */
export function pendingKeyNotice(site: string, keyId: string, n: number): string {
  const short = shortId(keyId);
  return [
    `note: key ${short} is pending. The site stored ${plural(n, 'result')} from this key but will not rank them until a maintainer approves the key`,
    `  (they are listed, marked pending, at ${site}/keys/${short}).`,
    `  On your own site, approve it with the site's admin token: ADMIN_TOKEN=<token> headprep keys approve ${short} --site ${site}`,
  ].join('\n');
}

/** Puts every result file under `paths` into the outbox (bundles signed first); a bad file is skipped and counted. */
async function queueFiles(outbox: Outbox, paths: string[], key: () => Promise<LoadedKey>): Promise<{ labels: Map<string, string>; skipped: number }> {
  const labels = new Map<string, string>();
  let skipped = 0;
  for (const file of await collectFiles(paths)) {
    try {
      // a bundle edited after signing: the envelope would upload the old numbers silently
      const mismatch = await bundleEnvelopeMismatch(file);
      if (mismatch) throw new CliError(mismatch, 1);
      const bytes = new Uint8Array(await readFile(file));
      const p = file.endsWith('.envelope.json') ? await envelopeToSend(file, new TextDecoder().decode(bytes)) : await signedBundleToSend(file, bytes, key);
      await outbox.put(p.payloadSha256, p.body);
      labels.set(p.payloadSha256, p.label);
    } catch (e) {
      if (!(e instanceof CliError) || e.exitCode !== 1) throw e;
      console.error(`skipped ${e.message}`);
      skipped++;
    }
  }
  return { labels, skipped };
}

interface UploadOutcome {
  refused: number;
  queued: number;
  /** Set at the first upload that finds the site unreachable: no further upload starts. */
  unreachable: SiteUnreachableError | null;
  /** Key id -> results the site stored under that key while it is still pending (not ranked). */
  pending: Map<string, number>;
}

/** Uploads `queue` with `jobs` uploads at a time, one line per envelope (and a progress bar on a terminal). */
async function uploadQueue(site: string, outbox: Outbox, queue: OutboxEntry[], labels: Map<string, string>, jobs: number): Promise<UploadOutcome> {
  const policy = retryPolicyFromEnv();
  const tty = Boolean(process.stderr.isTTY);
  const t0 = Date.now();
  let done = 0;
  const out: UploadOutcome = { refused: 0, queued: 0, unreachable: null, pending: new Map() };
  const draw = () => {
    if (!tty) return;
    const eta = done ? ((Date.now() - t0) / 1000 / done) * (queue.length - done) : NaN;
    process.stderr.write(`\r\x1b[2Ksubmit ${bar(done, queue.length)} ${done}/${queue.length} ETA ${formatDuration(eta)}`);
  };
  const say = (stream: 'out' | 'err', line: string) => {
    if (tty) process.stderr.write('\r\x1b[2K');
    (stream === 'out' ? console.log : console.error)(line);
    draw();
  };

  const sendOne = async (e: OutboxEntry) => {
    const label = labels.get(e.payloadSha256) ?? `queued ${basename(e.file)}`;
    try {
      const ans = await postJson(`${site}/api/results`, e.body, policy, {
        onRetry: (reason, attempt, delay) => say('err', `${label}: ${reason}; retry ${attempt}/${policy.retries} in ${(delay / 1000).toFixed(1)} s`),
      });
      if (ans.status === 201 || ans.status === 200) {
        const b = parseAnswer(`${site}/api/results`, ans, IngestAnswerSchema);
        await outbox.done(e);
        const resultUrl = b.url;
        if (b.reproduction) {
          // another key stored this (fingerprint, seed) first: the site compared the two bundles
          const r = b.reproduction;
          const verdict = r.verdict === 'within' ? 'a within-tolerance' : r.verdict === 'exact' ? 'an exact' : 'a differing';
          say(
            'out',
            `${label}  ${r.created ? 'recorded' : 'already recorded'} as ${verdict} reproduction of ${b.id}  ${resultUrl}#reproductions  (reproduction ${r.url})`,
          );
          return;
        }
        const isPending = b.key_status === 'pending';
        if (isPending) out.pending.set(b.key_id, (out.pending.get(b.key_id) ?? 0) + 1);
        say('out', `${label}  ${b.id}  ${b.created ? 'accepted' : 'already stored'}${isPending ? ' (key pending: not ranked yet)' : ''}  ${resultUrl}`);
        return;
      }
      const why = errorText(ans.body) ?? `HTTP ${ans.status}`;
      if (ans.status === 401 && why.startsWith('unknown_key')) {
        out.queued++;
        say('err', `${label}  QUEUED  ${why}`);
        return;
      }
      const where = await outbox.reject(e, `${ans.status} ${why}`);
      out.refused++;
      say('err', `${label}  REFUSED ${ans.status}  ${why}  (kept in ${where})`);
    } catch (err) {
      // the site cannot be reached at all: stop here (no more uploads start), one line below
      if (err instanceof SiteUnreachableError) {
        out.unreachable ??= err;
        return;
      }
      if (!(err instanceof SiteUnavailableError)) throw err;
      out.queued++;
      say('err', `${label}  QUEUED  ${err.message}`);
    } finally {
      done++;
      draw();
    }
  };

  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      while (next < queue.length && !out.unreachable) await sendOne(queue[next++]!);
    }),
  );
  if (tty) process.stderr.write('\r\x1b[2K');
  return out;
}

export const submitCommand: Command = defineCommand(
  { name: 'submit', summary: 'sign and upload results to a site (retries, on-disk outbox, idempotent)', usage, options: { site: { type: 'string' }, 'key-file': { type: 'string' }, jobs: { type: 'string' } } },
  async ({ values, positionals }) => {
    const site = siteOption(values.site);
    if (!site) throw usageError(`--site is required (or set HEADPREP_SITE)`, usage);
    const jobs = Number(values.jobs ?? 4);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new CliError('--jobs must be an integer from 1 to 64');
    let keyPromise: Promise<LoadedKey> | null = null;
    const key = () => (keyPromise ??= loadKey(values['key-file'] ?? undefined));

    // 1. Everything named on the command line goes to the outbox first.
    const outbox = new Outbox(site);
    const { labels, skipped } = await queueFiles(outbox, positionals, key);

    // 2. Upload the whole outbox of this site (this run's files and anything left from before).
    const queue = await outbox.list();
    if (positionals.length && labels.size === 0 && skipped === 0) {
      throw new CliError(
        `no result files (*.bundle.json or *.envelope.json) in ${positionals.join(', ')} or their subfolders. ` +
          `Run a suite first, e.g. "headprep run tiny@1 --out runs/tiny", then "headprep submit runs --site ${site}"` +
          (queue.length ? `; ${plural(queue.length, 'envelope')} still queued from before: "headprep submit --site ${site}" sends them` : ''),
        1,
      );
    }
    if (queue.length === 0) {
      console.error(`outbox for ${site} is empty; nothing to submit`);
      return skipped ? 1 : 0;
    }
    const previously = queue.filter((e) => !labels.has(e.payloadSha256)).length;
    if (previously) console.error(`retrying ${previously} queued envelope(s) from ${outbox.dir}`);
    const { refused, queued, unreachable, pending } = await uploadQueue(site, outbox, queue, labels, jobs);
    for (const [keyId, n] of pending) console.error(pendingKeyNotice(site, keyId, n));
    if (unreachable) {
      const left = (await outbox.list()).length;
      throw new CliError(
        `cannot reach ${site} (${unreachable.reason}); ${plural(left, 'envelope')} kept in the outbox ${outbox.dir}: run "headprep submit --site ${site}" when the site is up`,
        1,
      );
    }
    if (queued)
      console.error(`${queued} envelope(s) still queued in ${outbox.dir}; run "headprep submit --site ${site}" again to send them`);
    return queued || skipped || refused ? 1 : 0;
  },
);
