/**
 * The seed envelope files (seed/README.md), read and written in one place:
 *
 *   <suite>@<v>.jsonl.gz  the committed layout: one gzipped JSON-lines file per suite version, one
 *                         DSSE envelope per line. A line is exactly the bytes of the envelope file
 *                         `headprep sign` writes (canonical JSON, one line) without its final
 *                         newline; `envelopeBytes` gives that file back (line + "\n"), so the site
 *                         stores the same bytes whichever layout it was seeded from.
 *   *.jsonl               the same, uncompressed.
 *   *.json                the older layout, one envelope per file (`*.envelope.json`, the e2e
 *                         seed of test/e2e/make-seed.ts), read as they are.
 *
 * Nothing here verifies anything: the loader (seed/load.ts) sends every envelope through the
 * site's ingest, and the pack script (scripts/pack-seed.ts) checks signatures before it writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256HexSync } from '../lib/sha256';

/** One envelope of a seed file: where it is (file, 1-based line for JSON-lines files) and its bytes. */
export interface SeedEnvelope {
  /** `<file>` or `<file>:<line>`, for messages. */
  where: string;
  bytes: Uint8Array;
}

export interface SeedFile {
  name: string;
  /** sha256 (hex) of the file as stored (compressed bytes for .gz). */
  sha256: string;
  envelopes: SeedEnvelope[];
}

export const SEED_FILE_SUFFIXES = ['.jsonl.gz', '.jsonl', '.json'] as const;

export function isSeedFileName(f: string): boolean {
  return SEED_FILE_SUFFIXES.some((s) => f.endsWith(s));
}

/** The committed file name of a suite version's envelopes. */
export function seedFileName(suite: { name: string; version: number }): string {
  return `${suite.name}@${suite.version}.jsonl.gz`;
}

const NL = 0x0a;

/** The lines of a JSON-lines text (bytes), without their newlines; blank lines are skipped. */
export function splitLines(text: Uint8Array): { line: number; bytes: Uint8Array }[] {
  const out: { line: number; bytes: Uint8Array }[] = [];
  let start = 0;
  let n = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== NL) continue;
    n++;
    let end = i;
    if (end > start && text[end - 1] === 0x0d) end--; // CRLF written by an editor
    const bytes = text.subarray(start, end);
    if (bytes.some((b) => b !== 0x20 && b !== 0x09)) out.push({ line: n, bytes });
    start = i + 1;
  }
  return out;
}

/** The envelope file `headprep sign` writes for a JSON-lines line: the line and a newline. */
export function envelopeBytes(line: Uint8Array): Uint8Array {
  const out = new Uint8Array(line.length + 1);
  out.set(line);
  out[line.length] = NL;
  return out;
}

/** The envelopes of a seed file's bytes (any of SEED_FILE_SUFFIXES, told by `name`). A .gz that does not gunzip throws, naming the file. */
export function parseSeedFile(name: string, raw: Uint8Array): SeedEnvelope[] {
  if (name.endsWith('.json')) return [{ where: name, bytes: raw }];
  let text: Uint8Array;
  try {
    text = name.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : raw;
  } catch (e) {
    throw new Error(`${name}: not a gzip file (${(e as Error).message})`);
  }
  return splitLines(text).map((l) => ({ where: `${name}:${l.line}`, bytes: envelopeBytes(l.bytes) }));
}

/** A seed file's bytes and their sha256, not parsed yet. */
export function readSeedFileRaw(path: string, name = path): { name: string; sha256: string; raw: Uint8Array } {
  const raw = new Uint8Array(readFileSync(path));
  return { name, sha256: sha256HexSync(raw), raw };
}

/** Reads one seed file (any of SEED_FILE_SUFFIXES). */
export function readSeedFile(path: string, name = path): SeedFile {
  const { sha256, raw } = readSeedFileRaw(path, name);
  return { name, sha256, envelopes: parseSeedFile(name, raw) };
}

/** The seed files of `dir` in name order ([] when the folder does not exist). */
export function seedFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isSeedFileName).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Every envelope of every seed file of `dir`. */
export function readSeedDir(dir: string): SeedFile[] {
  return seedFilesIn(dir).map((f) => readSeedFile(join(dir, f), f));
}

/**
 * A .jsonl.gz file of `lines` (envelope JSON, one line each, no newline inside): deterministic bytes
 * for the same lines (gzip header without a file name or time), so re-packing changes nothing.
 */
export function gzipLines(lines: Uint8Array[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const l of lines) {
    if (l.includes(NL)) throw new Error('an envelope line contains a newline');
    parts.push(l, Uint8Array.of(NL));
  }
  return gzipSync(Buffer.concat(parts), { level: 9 });
}
