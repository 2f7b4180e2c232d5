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
import { usageError } from '../lib/args';
import { loadKey } from '../submit/keystore';
import { bundleEnvelopeMismatch, referenceKey, siteKey, type FoundKey } from '../submit/envelope-check';
import { siteBase } from '../submit/site-client';
import { CliError } from '../lib/cli-error';
import type { Command } from './types';
import { defineCommand } from './define';

const usage = `Usage: headprep verify <envelope.json>... [--key <pub.pem | base64>] [--site <url>]

Checks each DSSE envelope: the Ed25519 signature over the exact payload bytes, then the bundle
against the ResultBundle schema. The signer's public key is, in order: --key (SPKI PEM file, PEM
text or base64 of the raw 32 bytes); your own key (headprep keys show); the project's reference
keys (seed/reference-key*.pub.pem, for the site's reference results); the key registered on
--site (GET /api/keys/<key id>: an envelope downloaded from that site). Each line says which key
verified it. A bundle file beside the envelope (x.bundle.json) must still hold the signed bytes.
Prints one line per file; exits 0 only when every file is valid.

Options:
  --key <key>   public key: a path to a PEM/base64 file, or the base64 text itself
  --site <url>  look up a signer not found locally on this site (default $HEADPREP_SITE)
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

/** Finds the public key of a key id (and says where it was found), or null. */
export type KeyResolver = (keyid: string) => Promise<FoundKey | null>;

/** The signers' key ids of an envelope text (empty when it does not parse). */
function signerIds(text: string): string[] {
  try {
    return parseEnvelope(text).signatures.map((s) => s.keyid);
  } catch {
    return [];
  }
}

/** Verifies one envelope file; returns a one-line verdict. `keys` is one public key, or a resolver by key id. */
export async function verifyFile(file: string, keys: Uint8Array | KeyResolver): Promise<{ ok: boolean; line: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, line: `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (looksLikeBundle(text))
    return { ok: false, line: `${file}: this is a result bundle, not a signed envelope; sign it with "headprep sign ${file}" and verify the .envelope.json it writes` };
  // the signer's key: the one given, else whatever the resolver finds for the envelope's key ids
  const found = new Map<string, FoundKey>();
  if (keys instanceof Uint8Array) found.set(await keyIdOfRaw(keys), { raw: keys, source: 'the given key' });
  else
    for (const id of signerIds(text)) {
      const k = /^[0-9a-f]{64}$/.test(id) ? await keys(id) : null;
      if (k) found.set(id, k);
    }
  try {
    const env = parseEnvelope(text);
    let v;
    try {
      v = await verifyEnvelope(env, RESULT_PAYLOAD_TYPE, (id) => found.get(id)?.raw ?? null);
    } catch (e) {
      if (e instanceof VerifyError && e.code === 'unknown_key') {
        const ids = env.signatures.map((x) => shortId(x.keyid)).join(', ');
        return {
          ok: false,
          line: `${file}: INVALID unknown_key: signed by key ${ids}, which is not the key checked. Pass the signer's public key (--key <pub.pem>), or --site <url> to fetch it from the site the envelope came from`,
        };
      }
      throw e;
    }
    const parsed = parseResultBundleBytes(v.payload);
    if (!parsed.ok) {
      const detail = parsed.issues
        .slice(0, 5)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ');
      return { ok: false, line: `${file}: INVALID bundle (${parsed.code}) ${detail}` };
    }
    const mismatch = await bundleEnvelopeMismatch(file);
    if (mismatch) return { ok: false, line: `${file}: signature OK, but ${mismatch}` };
    const b = parsed.value;
    const acc = b.summary ? ` test_acc=${b.summary.test_acc.toFixed(4)}` : '';
    const aie = b.energy ? ` aie=${b.energy.aie.toFixed(4)}` : '';
    return {
      ok: true,
      line: `${file}: OK ${suiteSlug(b.suite)} ${b.config.backbone.id}/${b.config.dataset.id} ${b.config.strategy.id} tau=${b.config.tau} seed=${b.config.seed} status=${b.status}${acc}${aie} key=${shortId(v.keyid)} (${found.get(v.keyid)?.source ?? 'the given key'})`,
    };
  } catch (e) {
    if (e instanceof VerifyError) return { ok: false, line: `${file}: INVALID ${e.code}: ${e.message}` };
    throw e;
  }
}

export const verifyCommand: Command = defineCommand(
  { name: 'verify', summary: 'check envelopes offline: signature over exact bytes, then the bundle schema', usage, options: { key: { type: 'string' }, site: { type: 'string' } } },
  async ({ values, positionals }) => {
    if (positionals.length === 0) throw usageError(`verify needs at least one envelope file`, usage);
    let keys: Uint8Array | KeyResolver;
    if (values.key) keys = await readPublicKey(values.key);
    else {
      const own = await loadKey().then(
        async (k) => ({ id: await keyIdOfRaw(k.publicRaw), raw: k.publicRaw }),
        () => null,
      );
      const siteArg = values.site ?? process.env.HEADPREP_SITE;
      let site: string | null = null;
      if (siteArg)
        try {
          site = siteBase(siteArg);
        } catch (e) {
          throw new CliError(`--site: ${(e as Error).message}`);
        }
      keys = async (keyid) => {
        if (own && own.id === keyid) return { raw: own.raw, source: 'your key' };
        const ref = await referenceKey(keyid);
        if (ref) return ref;
        if (!site) return null;
        try {
          return await siteKey(site, keyid);
        } catch (e) {
          console.error(`note: could not look up key ${shortId(keyid)} on ${site}: ${(e as Error).message}`);
          return null;
        }
      };
    }
    let bad = 0;
    for (const file of positionals) {
      const r = await verifyFile(file, keys);
      (r.ok ? console.log : console.error)(r.line);
      if (!r.ok) bad++;
    }
    return bad === 0 ? 0 : 1;
  },
);

export { formatIssues };
