/**
 * First-start seeding: the committed envelopes in seed/envelopes/*.json (real runner output signed
 * by the project's reference keys; only their public keys are committed, seed/reference-key*.pub.pem:
 * one for the @1 reference runs, one for @2) go through the site's real ingest pipeline, with the
 * reference keys pre-approved.
 *
 * Policy: runs at every server start (once per process, before the first request: instrumentation.ts), idempotently.
 * The ingest dedupes by the signed payload's sha256, so a stored envelope is a cheap replay
 * (signature check + one lookup) and nothing is ever counted twice. The reference key is inserted
 * as approved only when absent: a maintainer's revocation is never undone, and envelopes of a
 * revoked key are refused by ingest like any other. Hidden results stay hidden (replays do not
 * touch stored rows).
 *
 * Environment: HEADPREP_SEED=0 disables it; HEADPREP_SEED_DIR and HEADPREP_SEED_PUBKEY point at
 * another envelope folder / PEM file(s), comma-separated (the e2e tests seed their own throwaway
 * key this way).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keyIdOfRaw, rawFromPublicKeyPem } from '../contract';
import type { Db } from '../db/types';
import { upsertApprovedKey } from '../db/mutations/keys';

/**
 * The ingest pipeline's entry point (app/_server/ingest.ts ingestEnvelope), injected. It throws
 * its refusals as errors carrying an HTTP `status` and an error `code` (ApiFailure).
 */
export type IngestFn = (db: Db, rawBody: Uint8Array) => Promise<{ status: number; id: string; created: boolean }>;

/** A refusal of the ingest pipeline (an ApiFailure), told apart from the server's own trouble. */
function asRefusal(e: unknown): { status: number; code: string; message: string } | null {
  const r = e as { status?: unknown; code?: unknown; message?: unknown } | null;
  return r && typeof r.status === 'number' && r.status < 500 && typeof r.code === 'string' ? { status: r.status, code: r.code, message: String(r.message) } : null;
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
  files: number;
  created: number;
  replayed: number;
  failed: { file: string; status: number; code: string; message: string }[];
  ms: number;
}

function envelopeFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Loads every envelope of cfg.dir through `ingest`; safe to call any number of times. */
export async function loadSeed(db: Db, cfg: SeedConfig, ingest: IngestFn): Promise<SeedReport> {
  const t0 = performance.now();
  const report: SeedReport = { key_ids: [], files: 0, created: 0, replayed: 0, failed: [], ms: 0 };
  const files = envelopeFiles(cfg.dir);
  if (!cfg.enabled || files.length === 0) return { ...report, ms: performance.now() - t0 };
  for (const pem of cfg.publicKeyPems) {
    const raw = rawFromPublicKeyPem(pem);
    report.key_ids.push(await keyIdOfRaw(raw));
    await upsertApprovedKey(db, raw, 'HeadPrep reference runs', 'maintainers (seed/README.md)');
  }
  for (const f of files) {
    report.files++;
    try {
      const out = await ingest(db, new Uint8Array(readFileSync(join(cfg.dir, f))));
      if (out.created) report.created++;
      else report.replayed++;
    } catch (e) {
      const refusal = asRefusal(e);
      if (!refusal) throw e;
      report.failed.push({ file: f, ...refusal });
    }
  }
  report.ms = performance.now() - t0;
  return report;
}
