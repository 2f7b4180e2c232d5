/**
 * The committed seed files (seed/envelopes/<suite>@<v>.jsonl.gz) and the pack step that writes them
 * (seed/pack.ts, scripts/pack-seed.ts), on the real reference envelopes: the files are what packing
 * writes (sorted, deduplicated, deterministic gzip), every line verifies with a committed reference
 * key, and a line is exactly the envelope file `headprep sign` writes, less its newline.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../contract';
import { envelopeBytes, gzipLines, parseSeedFile, readSeedFile, seedFilesIn, splitLines } from '../../../seed/files';
import { checkEnvelope, planPack, referenceKeys, type PackedEnvelope } from '../../../seed/pack';

const SEED = join(process.cwd(), 'seed', 'envelopes');
const pems = readdirSync(join(process.cwd(), 'seed'))
  .filter((f) => /^reference-key.*\.pub\.pem$/.test(f))
  .map((f) => readFileSync(join(process.cwd(), 'seed', f), 'utf8'));
const enc = new TextEncoder();
const dec = new TextDecoder();

async function checked(file: string): Promise<PackedEnvelope[]> {
  const keys = await referenceKeys(pems);
  const out: PackedEnvelope[] = [];
  for (const e of readSeedFile(join(SEED, file), file).envelopes) {
    const c = await checkEnvelope(e.where, e.bytes, keys);
    if (typeof c === 'string') throw new Error(c);
    out.push(c);
  }
  return out;
}

describe('committed seed files', () => {
  it('are one gzipped JSON-lines file per suite version, with the reference run counts', () => {
    expect(seedFilesIn(SEED).every((f) => /^[a-z0-9-]+@\d+\.jsonl\.gz$/.test(f))).toBe(true);
    const counts = Object.fromEntries(seedFilesIn(SEED).map((f) => [f, readSeedFile(join(SEED, f), f).envelopes.length]));
    expect(counts).toMatchObject({ 'digits-transfer@1.jsonl.gz': 45, 'digits-transfer@2.jsonl.gz': 130, 'synthetic-linear@1.jsonl.gz': 75, 'synthetic-linear@2.jsonl.gz': 320 });
  });

  it('every line verifies, is canonical one-line JSON of its own suite, and packing again writes the same bytes', async () => {
    const keys = await referenceKeys(pems);
    for (const f of seedFilesIn(SEED)) {
      const envelopes = await checked(f);
      for (const e of envelopes) {
        expect(`${e.bundle.suite.name}@${e.bundle.suite.version}.jsonl.gz`).toBe(f);
        expect(dec.decode(e.line)).toBe(canonicalize(JSON.parse(dec.decode(e.line))));
      }
      // repacked from scratch in reverse order: the same file
      const plan = await planPack([...envelopes].reverse(), mkdtempSync(join(tmpdir(), 'headprep-pack-')), keys);
      expect(plan.problems).toEqual([]);
      expect(plan.files).toHaveLength(1);
      expect(plan.files[0]!.bytes.equals(readFileSync(join(SEED, f)))).toBe(true);
    }
  }, 120_000);
});

describe('seed file format (seed/files.ts)', () => {
  it('splits lines (LF or CRLF, blank lines skipped) and gives back the signed file: line + newline', () => {
    const lines = splitLines(enc.encode('{"a":1}\r\n\n  \n{"b":2}'));
    expect(lines.map((l) => [l.line, dec.decode(l.bytes)])).toEqual([
      [1, '{"a":1}'],
      [4, '{"b":2}'],
    ]);
    expect(dec.decode(envelopeBytes(enc.encode('{"a":1}')))).toBe('{"a":1}\n');
    const gz = gzipLines([enc.encode('{"a":1}'), enc.encode('{"b":2}')]);
    expect(gunzipSync(gz).toString()).toBe('{"a":1}\n{"b":2}\n');
    expect(gzipLines([enc.encode('{"a":1}'), enc.encode('{"b":2}')]).equals(gz)).toBe(true);
    expect(parseSeedFile('x.jsonl.gz', gz).map((e) => e.where)).toEqual(['x.jsonl.gz:1', 'x.jsonl.gz:2']);
    expect(() => gzipLines([enc.encode('{"a":\n1}')])).toThrow(/newline/);
    expect(() => parseSeedFile('bad.jsonl.gz', enc.encode('not gzip'))).toThrow(/bad\.jsonl\.gz: not a gzip file/);
  });
});

describe('checkEnvelope and planPack (seed/pack.ts)', async () => {
  const keys = await referenceKeys(pems);
  const file = readSeedFile(join(SEED, 'digits-transfer@1.jsonl.gz'), 'digits-transfer@1.jsonl.gz');
  const signed = file.envelopes[0]!.bytes; // exactly what `headprep sign` wrote: canonical JSON + "\n"

  it('keeps a one-line envelope byte for byte (less its newline)', async () => {
    const c = await checkEnvelope('a.envelope.json', signed, keys);
    if (typeof c === 'string') throw new Error(c);
    expect(dec.decode(c.line) + '\n').toBe(dec.decode(signed));
  });

  it('writes a pretty-printed envelope as canonical JSON; its signature still verifies', async () => {
    const pretty = enc.encode(`${JSON.stringify(JSON.parse(dec.decode(signed)), null, 2)}\n`);
    const c = await checkEnvelope('pretty.envelope.json', pretty, keys);
    if (typeof c === 'string') throw new Error(c);
    expect(dec.decode(c.line)).toBe(dec.decode(signed).trimEnd());
    expect(await checkEnvelope('again', envelopeBytes(c.line), keys)).toMatchObject({ payloadSha256: c.payloadSha256 });
  });

  it('refuses an envelope of an unknown key, a changed payload and a non-envelope, naming the file', async () => {
    expect(await checkEnvelope('x.envelope.json', signed, new Map())).toMatch(/^x\.envelope\.json: not signed by a reference key/);
    const env = JSON.parse(dec.decode(signed)) as { payload: string };
    const payload = JSON.parse(Buffer.from(env.payload, 'base64').toString()) as { config: { seed: number } };
    payload.config.seed += 1;
    const forged = enc.encode(JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(payload)).toString('base64') }));
    expect(await checkEnvelope('forged.envelope.json', forged, keys)).toMatch(/^forged\.envelope\.json: signature does not verify/);
    expect(await checkEnvelope('b.json', enc.encode('{"schema_version":1}'), keys)).toMatch(/^b\.json: envelope/);
  });

  it('merges into an existing file: new envelopes added in cell order, a payload already there kept once', async () => {
    const all = await checked('digits-transfer@1.jsonl.gz');
    const out = mkdtempSync(join(tmpdir(), 'headprep-pack-'));
    const first = await planPack(all.slice(0, 20), out, keys);
    expect(first.files[0]).toMatchObject({ suite: 'digits-transfer@1', added: 20, kept: 0, duplicates: 0, unchanged: false });
    writeFileSync(first.files[0]!.path, first.files[0]!.bytes);
    const second = await planPack(all.slice(10), out, keys);
    expect(second.problems).toEqual([]);
    expect(second.files[0]).toMatchObject({ added: 25, kept: 20, duplicates: 10 });
    expect(second.files[0]!.bytes.equals(readFileSync(join(SEED, 'digits-transfer@1.jsonl.gz')))).toBe(true);
    writeFileSync(second.files[0]!.path, second.files[0]!.bytes);
    expect((await planPack(all, out, keys)).files[0]).toMatchObject({ added: 0, unchanged: true });
  });
});
