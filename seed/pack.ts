/**
 * Packing signed envelopes into the committed seed files (seed/README.md; the command is
 * scripts/pack-seed.ts): every envelope is checked first (DSSE envelope of a result, signature by
 * one of the given reference keys, payload a valid ResultBundle), then grouped by suite version
 * and merged into <out>/<suite>@<v>.jsonl.gz with what that file already holds. A payload already
 * in the file is kept once (the stored line wins). Lines are ordered by cell (backbone, dataset,
 * strategy, tau, seed), so packing the same envelopes twice writes the same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalize,
  fromBase64,
  keyIdOfRaw,
  parseEnvelope,
  parseResultBundleBytes,
  rawFromPublicKeyPem,
  RESULT_PAYLOAD_TYPE,
  verifyEnvelope,
  VerifyError,
  type ResultBundle,
  shortId,
} from '../contract';
import { sha256HexSync } from '../lib/sha256';
import { gzipLines, readSeedFile, seedFileName } from './files';

export interface PackedEnvelope {
  where: string;
  /** The envelope JSON as one line (no newline). */
  line: Uint8Array;
  payloadSha256: string;
  bundle: ResultBundle;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks one envelope file's bytes; returns it as a line, or a problem naming `where`. A one-line
 * file keeps its exact bytes (less the final newline); a pretty-printed one is written as canonical
 * JSON, which changes no signed byte (the signature covers the payload, kept as it is).
 */
export async function checkEnvelope(where: string, bytes: Uint8Array, keys: Map<string, Uint8Array>): Promise<PackedEnvelope | string> {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return `${where}: not UTF-8 text`;
  }
  const trimmed = text.replace(/\r?\n$/, '');
  let line: Uint8Array;
  try {
    const envelope = parseEnvelope(trimmed);
    const verified = await verifyEnvelope(envelope, RESULT_PAYLOAD_TYPE, (id) => keys.get(id) ?? null);
    const parsed = parseResultBundleBytes(verified.payload);
    if (!parsed.ok) return `${where}: payload is not a valid ResultBundle: ${parsed.issues.slice(0, 3).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`;
    line = /[\r\n]/.test(trimmed) ? new TextEncoder().encode(canonicalize(JSON.parse(trimmed))) : bytes.subarray(0, bytes.length - (text.length - trimmed.length));
    return { where, line, payloadSha256: sha256HexSync(fromBase64(envelope.payload)), bundle: parsed.value };
  } catch (e) {
    if (e instanceof VerifyError && e.code === 'unknown_key')
      return `${where}: not signed by a reference key (known: ${[...keys.keys()].map(shortId).join(', ') || 'none'}); add its public key as seed/reference-key-<n>.pub.pem or pass --key`;
    return `${where}: ${(e as Error).message}`;
  }
}

/** Key id -> raw public key of PEM texts. */
export async function referenceKeys(pems: string[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const pem of pems) {
    const raw = rawFromPublicKeyPem(pem);
    out.set(await keyIdOfRaw(raw), raw);
  }
  return out;
}

const num = (a: number, b: number) => a - b;
function byCell(a: PackedEnvelope, b: PackedEnvelope): number {
  const x = a.bundle.config;
  const y = b.bundle.config;
  return (
    x.backbone.id.localeCompare(y.backbone.id) ||
    x.dataset.id.localeCompare(y.dataset.id) ||
    x.strategy.id.localeCompare(y.strategy.id) ||
    num(x.strategy.version, y.strategy.version) ||
    num(x.tau, y.tau) ||
    num(x.seed, y.seed) ||
    a.bundle.fingerprint.localeCompare(b.bundle.fingerprint) ||
    a.payloadSha256.localeCompare(b.payloadSha256)
  );
}

export interface PackPlan {
  /** Per output file: its path, the lines to write, how many are new. */
  files: { path: string; suite: string; lines: Uint8Array[]; added: number; kept: number; duplicates: number; bytes: Buffer; unchanged: boolean }[];
  problems: string[];
}

/**
 * Merges checked envelopes into the seed files of `outDir` (nothing is written: the caller writes
 * `bytes` to `path`). Existing files are re-checked with the same keys; a problem anywhere is
 * reported and the caller should write nothing.
 */
export async function planPack(envelopes: PackedEnvelope[], outDir: string, keys: Map<string, Uint8Array>): Promise<PackPlan> {
  const problems: string[] = [];
  const groups = new Map<string, PackedEnvelope[]>();
  for (const e of envelopes) {
    const name = seedFileName(e.bundle.suite);
    groups.set(name, [...(groups.get(name) ?? []), e]);
  }
  const files: PackPlan['files'] = [];
  for (const [name, incoming] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(outDir, name);
    const existing: PackedEnvelope[] = [];
    let before: Buffer | null = null;
    if (existsSync(path)) {
      before = readFileSync(path);
      for (const e of readSeedFile(path, name).envelopes) {
        const c = await checkEnvelope(e.where, e.bytes, keys);
        if (typeof c === 'string') problems.push(c);
        else existing.push(c);
      }
    }
    const byPayload = new Map<string, PackedEnvelope>();
    let duplicates = 0;
    for (const e of existing) if (!byPayload.has(e.payloadSha256)) byPayload.set(e.payloadSha256, e);
    let added = 0;
    for (const e of incoming) {
      if (byPayload.has(e.payloadSha256)) duplicates++;
      else {
        byPayload.set(e.payloadSha256, e);
        added++;
      }
    }
    const lines = [...byPayload.values()].sort(byCell).map((e) => e.line);
    const bytes = gzipLines(lines);
    files.push({ path, suite: name.replace(/\.jsonl\.gz$/, ''), lines, added, kept: byPayload.size - added, duplicates, bytes, unchanged: before !== null && before.equals(bytes) });
  }
  return { files, problems };
}
