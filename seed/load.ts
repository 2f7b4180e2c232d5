/**
 * First-start seeding: the committed envelopes in seed/envelopes (one gzipped JSON-lines file per
 * suite version, <suite>@<v>.jsonl.gz, seed/files.ts; real runner output signed by the project's
 * reference keys; only their public keys are committed, seed/reference-key*.pub.pem: one for the
 * @1 reference runs, one for @2) go through the site's real ingest pipeline, with the reference
 * keys pre-approved. The older one-envelope-per-file layout (*.json) is read too.
 *
 * Policy: runs at every server start (once per process: instrumentation.ts through
 * app/_server/seed-at-start.ts), idempotently. A file an earlier start stored completely (table
 * seed_files, by the file's sha256) is not read again, and an envelope whose signed payload (its
 * sha256, the ingest's idempotency key) is already stored is not sent to ingest, so only new
 * envelopes cost anything and nothing is ever counted twice. The reference key is inserted as approved
 * only when absent: a maintainer's revocation is never undone, and new envelopes of a revoked key
 * are refused by ingest like any other. Hidden results stay hidden (stored rows are never touched).
 *
 * Environment: HEADPREP_SEED=0 disables it; HEADPREP_SEED_DIR and HEADPREP_SEED_PUBKEY point at
 * another envelope folder / PEM file(s), comma-separated (the e2e tests seed their own throwaway
 * key this way).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { rawFromPublicKeyPem } from '../contract';
import { sha256HexSync } from '../lib/sha256';
import { ApiFailure } from '../contract';
import type { Db } from '../db/types';
import { upsertApprovedKey } from '../db/mutations/keys';
import { parseSeedFile, readSeedFileRaw, seedFilesIn } from './files';

/**
 * The ingest pipeline's entry point (app/_server/ingest.ts ingestEnvelope), injected. It throws
 * its refusals as errors carrying an HTTP `status` and an error `code` (ApiFailure).
 */
export type IngestFn = (db: Db, rawBody: Uint8Array) => Promise<{ status: number; id: string; created: boolean }>;

/** A refusal of the ingest pipeline (contract ApiFailure, status < 500), told apart from the server's own trouble. */
function asRefusal(e: unknown): { status: number; code: string; message: string } | null {
  return e instanceof ApiFailure && e.status < 500 ? { status: e.status, code: e.code, message: e.message } : null;
}

export interface SeedConfig {
  dir: string;
  /** PEM public keys pre-approved as reference keys. */
  publicKeyPems: string[];
  enabled: boolean;
}

type Env = Record<string, string | undefined>;

export function seedConfig(env: Env = process.env, cwd = process.cwd()): SeedConfig {
  // turbopackIgnore: runtime paths, not modules to trace into the server bundle.
  const dir = resolve(/*turbopackIgnore: true*/ cwd, env.HEADPREP_SEED_DIR || join('seed', 'envelopes'));
  const pemPaths = env.HEADPREP_SEED_PUBKEY
    ? env.HEADPREP_SEED_PUBKEY.split(',').map((p) => resolve(/*turbopackIgnore: true*/ cwd, p.trim()))
    : referenceKeyFiles(resolve(/*turbopackIgnore: true*/ cwd, 'seed'));
  const publicKeyPems: string[] = [];
  for (const p of pemPaths)
    try {
      publicKeyPems.push(readFileSync(p, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  return { dir, publicKeyPems, enabled: env.HEADPREP_SEED !== '0' };
}

/** seed/reference-key*.pub.pem, sorted. */
function referenceKeyFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /^reference-key.*\.pub\.pem$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export interface SeedReport {
  /** Reference key ids approved (when absent) before loading. */
  key_ids: string[];
  /** Seed files found (a .jsonl.gz holds many envelopes, a legacy .json one). */
  files: number;
  /** Of those, files an earlier start stored completely (seed_files): not read again. */
  skipped_files: number;
  /** Envelopes in those files (for a skipped file, the count recorded when it was stored). */
  envelopes: number;
  /** Envelopes already stored (a skipped file's, or a payload the database held as a result or reproduction, or a second copy in the seed): not sent to ingest. */
  stored: number;
  /** Envelopes ingest stored as new results. */
  created: number;
  /** Envelopes ingest answered as already stored (a concurrent start stored them first) or recorded as reproductions. */
  replayed: number;
  failed: { file: string; status: number; code: string; message: string }[];
  ms: number;
}

export interface SeedProgress {
  /** Envelopes not stored yet, sent to ingest one by one. */
  todo: number;
  /** How many of them ingest has answered (stored or refused). */
  done: number;
}

/** sha256 (hex) of an envelope's payload bytes, the ingest's idempotency key; null when the bytes are not an envelope (ingest then refuses it with the reason). */
export function payloadSha256Of(bytes: Uint8Array): string | null {
  try {
    const env = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as { payload?: unknown };
    if (typeof env?.payload !== 'string') return null;
    return sha256HexSync(Buffer.from(env.payload, 'base64'));
  } catch {
    return null;
  }
}

/** Which of `hashes` are already stored as a result's or a reproduction's payload. */
async function storedPayloads(db: Db, hashes: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  // hex digests only, so a comma-joined list binds the same way on every driver (db/queries/ingest.ts).
  for (let i = 0; i < hashes.length; i += 2000) {
    const list = hashes.slice(i, i + 2000).join(',');
    const { rows } = await db.execute<{ sha: string }>(sql`
      select payload_sha256 as sha from results where payload_sha256 = any(string_to_array(${list}, ','))
      union all
      select payload_sha256 from reproductions where payload_sha256 = any(string_to_array(${list}, ','))`);
    for (const r of rows) out.add(r.sha);
  }
  return out;
}

/**
 * Inserts the reference keys as approved when absent (a revoked or approved key is left as it is).
 * Key ids are hashed with node:crypto and looked up in one read first: on a restart nothing is
 * written, and the first Web Crypto call of the process (about a second on a busy machine) is left
 * to the first envelope that needs verifying.
 */
async function approveReferenceKeys(db: Db, pems: string[], ids: string[]): Promise<void> {
  const raws = pems.map((pem) => rawFromPublicKeyPem(pem));
  ids.push(...raws.map((raw) => sha256HexSync(raw)));
  if (!ids.length) return;
  const { rows } = await db.execute<{ key_id: string }>(
    sql`select key_id from keys where status <> 'pending' and key_id = any(string_to_array(${ids.join(',')}, ','))`,
  );
  const settled = new Set(rows.map((r) => r.key_id));
  for (const [i, raw] of raws.entries())
    if (!settled.has(ids[i]!)) await upsertApprovedKey(db, raw, 'HeadPrep reference runs', 'maintainers (seed/README.md)');
}

/** Which of the seed files (by sha256) an earlier start stored completely (seed_files). */
async function loadedFiles(db: Db, hashes: string[]): Promise<Map<string, number>> {
  if (!hashes.length) return new Map();
  const { rows } = await db.execute<{ sha256: string; envelopes: number }>(
    sql`select sha256, envelopes from seed_files where sha256 = any(string_to_array(${hashes.join(',')}, ','))`,
  );
  return new Map(rows.map((r) => [r.sha256, Number(r.envelopes)]));
}

/**
 * Loads every envelope of cfg.dir through `ingest`; safe to call any number of times, and from
 * several processes at once (ingest dedupes). Two shortcuts keep a restart cheap whatever the size
 * of the seed: a file whose bytes an earlier start stored completely (seed_files, by sha256) is not
 * even read, and within the other files an envelope whose payload is already stored is not sent to
 * ingest. So a start that was cut off goes on where it stopped, and a changed file (envelopes
 * added by scripts/pack-seed.ts) costs only its new envelopes. `onProgress` is told once the work
 * is known and after each ingested envelope.
 */
export async function loadSeed(db: Db, cfg: SeedConfig, ingest: IngestFn, onProgress?: (p: SeedProgress) => void): Promise<SeedReport> {
  const t0 = performance.now();
  const report: SeedReport = { key_ids: [], files: 0, skipped_files: 0, envelopes: 0, stored: 0, created: 0, replayed: 0, failed: [], ms: 0 };
  const names = cfg.enabled ? seedFilesIn(cfg.dir) : [];
  if (names.length === 0) return { ...report, ms: performance.now() - t0 };
  await approveReferenceKeys(db, cfg.publicKeyPems, report.key_ids);
  const raws = names.map((f) => readSeedFileRaw(join(cfg.dir, f), f));
  report.files = raws.length;
  const done = await loadedFiles(db, raws.map((r) => r.sha256));
  const files = [];
  for (const r of raws) {
    const n = done.get(r.sha256);
    if (n !== undefined) {
      report.skipped_files++;
      report.envelopes += n;
      report.stored += n;
    } else {
      const envelopes = parseSeedFile(r.name, r.raw).map((e) => ({ ...e, sha: payloadSha256Of(e.bytes) }));
      report.envelopes += envelopes.length;
      files.push({ ...r, envelopes });
    }
  }
  const stored = await storedPayloads(db, [...new Set(files.flatMap((f) => f.envelopes.flatMap((e) => (e.sha ? [e.sha] : []))))]);
  const seen = new Set<string>();
  const plan = files.map((f) => ({
    ...f,
    todo: f.envelopes.filter((e) => {
      if (e.sha && (stored.has(e.sha) || seen.has(e.sha))) {
        report.stored++;
        return false;
      }
      if (e.sha) seen.add(e.sha);
      return true;
    }),
  }));
  const progress: SeedProgress = { todo: plan.reduce((n, f) => n + f.todo.length, 0), done: 0 };
  onProgress?.({ ...progress });
  for (const f of plan) {
    let refused = 0;
    for (const e of f.todo) {
      try {
        const out = await ingest(db, e.bytes);
        if (out.created) report.created++;
        else report.replayed++;
      } catch (err) {
        const refusal = asRefusal(err);
        if (!refusal) throw err;
        refused++;
        report.failed.push({ file: e.where, ...refusal });
      }
      progress.done++;
      onProgress?.({ ...progress });
    }
    if (!refused)
      await db.execute(
        sql`insert into seed_files (sha256, name, envelopes) values (${f.sha256}, ${f.name}, ${f.envelopes.length}) on conflict (sha256) do nothing`,
      );
  }
  report.ms = performance.now() - t0;
  return report;
}
