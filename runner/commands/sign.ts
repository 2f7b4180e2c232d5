import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalize, parseResultBundleBytes, RESULT_PAYLOAD_TYPE, signEnvelope, shortId } from '../../contract';
import { usageError } from '../lib/args';
import { writeAtomic } from '../lib/bundle-files';
import { loadKey } from '../submit/keystore';
import { CliError } from '../lib/cli-error';
import type { Command } from './types';
import { defineCommand } from './define';

const usage = `Usage: headprep sign <dir | name.bundle.json>... [--key-file <path>]

Signs unsigned result bundles with your key (headprep keys create): for each <name>.bundle.json
writes <name>.envelope.json, a DSSE envelope over the file's exact bytes. Existing envelopes are
replaced. Invalid bundles are reported and skipped.

Options:
  --key-file <path>  private key file (default $HEADPREP_KEY_FILE or <config dir>/key.pem)
  -h, --help         show this help`;

async function bundleFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    try {
      out.push(...(await readdir(p)).filter((f) => f.endsWith('.bundle.json')).sort().map((f) => join(p, f)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') out.push(p);
      else throw new CliError(`${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return out;
}

export const signCommand: Command = defineCommand(
  { name: 'sign', summary: 'sign result bundles into DSSE envelopes with your key', usage, options: { 'key-file': { type: 'string' } } },
  async ({ values, positionals }) => {
    if (!positionals.length) throw usageError(`sign needs bundle files or a directory`, usage);
    const key = await loadKey(values['key-file']);
    let bad = 0;
    let signed = 0;
    for (const file of await bundleFiles(positionals)) {
      if (!file.endsWith('.bundle.json')) {
        console.error(`${file}: expected a *.bundle.json file`);
        bad++;
        continue;
      }
      const bytes = new Uint8Array(await readFile(file));
      const parsed = parseResultBundleBytes(bytes);
      if (!parsed.ok) {
        console.error(`${file}: invalid bundle (${parsed.code}): ${parsed.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
        bad++;
        continue;
      }
      const env = await signEnvelope(bytes, RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
      const out = file.replace(/\.bundle\.json$/, '.envelope.json');
      await writeAtomic(out, `${canonicalize(env)}\n`);
      signed++;
    }
    console.log(`signed ${signed} bundle(s) with key ${shortId(key.keyid)}${bad ? `; ${bad} skipped` : ''}`);
    return bad ? 1 : 0;
  },
);
