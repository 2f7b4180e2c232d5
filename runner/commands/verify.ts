import { readFile } from 'node:fs/promises';
import {
  suiteSlug,
  formatIssues,
  parseEnvelope,
  parsePublicKey,
  parseResultBundleBytes,
  RESULT_PAYLOAD_TYPE,
  VerifyError,
  keyIdOfRaw,
  verifyEnvelope,
  shortId,
} from '../../contract';
import { parseCommandArgs, usageError } from '../lib/args';
import { loadKey } from '../submit/keystore';
import { CliError } from '../lib/cli-error';
import type { Command } from './types';

const usage = `Usage: headprep verify <envelope.json>... [--key <pub.pem | base64>]

Checks each DSSE envelope offline: the Ed25519 signature over the exact payload bytes against
the given public key (SPKI PEM file, PEM text or base64 of the raw 32 bytes), or else your own key
(headprep keys show); then the bundle against the ResultBundle schema.
Prints one line per file; exits 0 only when every file is valid.

Options:
  --key <key>   public key: a path to a PEM/base64 file, or the base64 text itself
  -h, --help    show this help`;

async function readPublicKey(arg: string): Promise<Uint8Array> {
  let text = arg;
  try {
    text = await readFile(arg, 'utf8');
  } catch {
    /* not a file: the argument is the key itself */
  }
  try {
    return parsePublicKey(text);
  } catch (e) {
    throw new CliError(`--key: ${(e as Error).message}`);
  }
}

/** True for the JSON of a result bundle (it has the bundle's fields and none of an envelope's). */
function looksLikeBundle(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !('payloadType' in v) && !('signatures' in v) && 'config' in v && 'fingerprint' in v;
  } catch {
    return false;
  }
}

/** Verifies one envelope file; returns a one-line verdict. */
export async function verifyFile(file: string, publicRaw: Uint8Array): Promise<{ ok: boolean; line: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, line: `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const keyid = await keyIdOfRaw(publicRaw);
  if (looksLikeBundle(text))
    return { ok: false, line: `${file}: this is a result bundle, not a signed envelope; sign it with "headprep sign ${file}" and verify the .envelope.json it writes` };
  try {
    const env = parseEnvelope(text);
    const v = await verifyEnvelope(env, RESULT_PAYLOAD_TYPE, (id) => (id === keyid ? publicRaw : null));
    const parsed = parseResultBundleBytes(v.payload);
    if (!parsed.ok) {
      const detail = parsed.issues
        .slice(0, 5)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ');
      return { ok: false, line: `${file}: INVALID bundle (${parsed.code}) ${detail}` };
    }
    const b = parsed.value;
    const acc = b.summary ? ` test_acc=${b.summary.test_acc.toFixed(4)}` : '';
    const aie = b.energy ? ` aie=${b.energy.aie.toFixed(4)}` : '';
    return {
      ok: true,
      line: `${file}: OK ${suiteSlug(b.suite)} ${b.config.backbone.id}/${b.config.dataset.id} ${b.config.strategy.id} tau=${b.config.tau} seed=${b.config.seed} status=${b.status}${acc}${aie} key=${shortId(v.keyid)}`,
    };
  } catch (e) {
    if (e instanceof VerifyError) return { ok: false, line: `${file}: INVALID ${e.code}: ${e.message}` };
    throw e;
  }
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check envelopes offline: signature over exact bytes, then the bundle schema',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { key: { type: 'string' } }, usage);
    if (positionals.length === 0) throw usageError(`verify needs at least one envelope file`, usage);
    const publicRaw = values.key ? await readPublicKey(values.key) : (await loadKey()).publicRaw;
    let bad = 0;
    for (const file of positionals) {
      const r = await verifyFile(file, publicRaw);
      (r.ok ? console.log : console.error)(r.line);
      if (!r.ok) bad++;
    }
    return bad === 0 ? 0 : 1;
  },
};

export { formatIssues };
