import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, exportPublicKeyRaw, RESULT_PAYLOAD_TYPE, signEnvelope, utf8 } from '../../../../contract';
import { findFiles, readBundles } from '../../../../runner/lib/bundle-files';
import { verifyFile } from '../../../../runner/commands/verify';
import { plural, Progress } from '../../../../runner/lib/progress';
import { makeBundle } from '../../../fixtures/bundle';

function layout() {
  const dir = mkdtempSync(join(tmpdir(), 'headprep-files-'));
  mkdirSync(join(dir, 'runs', 'tiny'), { recursive: true });
  mkdirSync(join(dir, 'runs', 'syn', 'deeper'), { recursive: true });
  mkdirSync(join(dir, 'runs', '.hidden'), { recursive: true });
  const text = JSON.stringify(makeBundle(), null, 2);
  writeFileSync(join(dir, 'runs', 'tiny', 'a.bundle.json'), text);
  writeFileSync(join(dir, 'runs', 'syn', 'deeper', 'b.bundle.json'), text);
  writeFileSync(join(dir, 'runs', '.hidden', 'c.bundle.json'), text);
  writeFileSync(join(dir, 'runs', 'syn', 'notes.txt'), 'x');
  return { dir, text };
}

describe('bundle file discovery', () => {
  it('walks subfolders (runs -> runs/tiny, runs/syn/deeper), skips hidden ones, names missing paths', async () => {
    const { dir } = layout();
    const found = await findFiles([join(dir, 'runs'), join(dir, 'nope')], ['.bundle.json']);
    expect(found.files.map((f) => f.slice(dir.length))).toEqual(['/runs/syn/deeper/b.bundle.json', '/runs/tiny/a.bundle.json']);
    expect(found.problems).toEqual([`${join(dir, 'nope')}: no such file or directory`]);
    const { bundles, problems } = await readBundles([join(dir, 'runs')]);
    expect(bundles).toHaveLength(2);
    expect(problems).toEqual([]);
  });

  it('a truncated bundle, an empty file and an envelope each get a message naming the file', async () => {
    const { dir, text } = layout();
    const cut = join(dir, 'runs', 'tiny', 'cut.bundle.json');
    writeFileSync(cut, text.slice(0, text.length / 2));
    const empty = join(dir, 'runs', 'tiny', 'empty.bundle.json');
    writeFileSync(empty, '');
    const { privateKey, publicKey } = await generateKeyPair();
    const envFile = join(dir, 'runs', 'tiny', 'env.bundle.json');
    writeFileSync(envFile, JSON.stringify(await signEnvelope(utf8.encode(text), RESULT_PAYLOAD_TYPE, privateKey, publicKey)));
    const { problems } = await readBundles([join(dir, 'runs', 'tiny')]);
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith(cut))).toMatch(/: the file is truncated \(not valid JSON: .*\); delete it and rerun the cell/);
    expect(problems.find((p) => p.startsWith(empty))).toBe(`${empty}: the file is empty (not a result bundle)`);
    expect(problems.find((p) => p.startsWith(envFile))).toBe(`${envFile}: this is a signed envelope, not a result bundle; check it with "headprep verify ${envFile}"`);
  });

  it('verify on a bundle says it is a bundle and how to sign it', async () => {
    const { dir } = layout();
    const file = join(dir, 'runs', 'tiny', 'a.bundle.json');
    const { publicKey } = await generateKeyPair();
    const r = await verifyFile(file, await exportPublicKeyRaw(publicKey));
    expect(r.ok).toBe(false);
    expect(r.line).toBe(`${file}: this is a result bundle, not a signed envelope; sign it with "headprep sign ${file}" and verify the .envelope.json it writes`);
  });
});

describe('progress wording', () => {
  it('1 cell, 2 cells; no ETA until enough cells after the first', () => {
    expect(plural(1, 'cell')).toBe('1 cell');
    expect(plural(75, 'cell')).toBe('75 cells');
    expect(plural(1, 'probe group')).toBe('1 probe group');
    const lines: string[] = [];
    const stream = { write: (s: string) => lines.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
    const p = new Progress(20, stream);
    for (let i = 0; i < 3; i++) p.cellDone(`c${i}`);
    // the rate needs max(2, ceil(20 / 10)) = 2 cells after the first: the 3rd finished cell shows the first ETA
    expect(lines[0]).toBe('[1/20 ETA estimating] c0\n');
    expect(lines[1]).toBe('[2/20 ETA estimating] c1\n');
    expect(lines[2]).toMatch(/^\[3\/20 ETA \d+:\d\d\] c2\n$/);
    expect(Number.isNaN(new Progress(100, stream).eta())).toBe(true);
  });
});
