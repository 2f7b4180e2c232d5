/**
 * What the CLI checks about a signed envelope beyond its signature:
 * - whether the bundle file beside it (x.bundle.json next to x.envelope.json) still holds the
 *   exact bytes it signed: a bundle edited after signing would otherwise be reported with the
 *   edited numbers (report) while the old envelope is what gets uploaded (submit);
 * - whose key signed it, when it is not the key at hand: the site's key registry (GET
 *   /api/keys/<key id>) or the project's reference public keys (seed/reference-key*.pub.pem).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiFailure, fromBase64, KeyAnswerSchema, keyIdOfRaw, parseEnvelope, parsePublicKey, shortId } from '../../contract';
import { siteJson } from './site-client';

const ENV = '.envelope.json';
const BUNDLE = '.bundle.json';

/** The file a bundle's envelope is written to, and back. */
export const envelopeFileOf = (bundleFile: string) => `${bundleFile.slice(0, -BUNDLE.length)}${ENV}`;
export const bundleFileOf = (envelopeFile: string) => `${envelopeFile.slice(0, -ENV.length)}${BUNDLE}`;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);

/**
 * For a bundle file and the envelope beside it (either name may be given): null when there is no
 * pair or the bundle holds exactly the signed payload; otherwise a message naming both files and
 * what to do.
 */
export async function bundleEnvelopeMismatch(file: string): Promise<string | null> {
  const isEnv = file.endsWith(ENV);
  if (!isEnv && !file.endsWith(BUNDLE)) return null;
  const envFile = isEnv ? file : envelopeFileOf(file);
  const bundleFile = isEnv ? bundleFileOf(file) : file;
  if (!existsSync(envFile) || !existsSync(bundleFile)) return null;
  let payload: Uint8Array;
  try {
    payload = fromBase64(parseEnvelope(await readFile(envFile, 'utf8')).payload);
  } catch {
    return null; // a broken envelope is reported by whoever reads it
  }
  const bundle = new Uint8Array(await readFile(bundleFile));
  if (sameBytes(bundle, payload)) return null;
  return (
    `${bundleFile} no longer matches the bundle signed in ${envFile} (it was changed after signing). ` +
    `The envelope holds the signed numbers, and it is what submit uploads. To keep the edit, delete ${basename(envFile)} and sign again ` +
    `("headprep sign ${bundleFile}"); to undo it, restore the bundle from the envelope ("headprep verify ${envFile}" shows the signed numbers)`
  );
}

/** The repository's seed/ folder (the project's reference public keys), when this runner runs from a clone. */
function seedDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let d = here, i = 0; i < 6; d = dirname(d), i++) if (existsSync(join(d, 'seed', 'README.md'))) return join(d, 'seed');
  return null;
}

export interface FoundKey {
  raw: Uint8Array;
  /** Where it came from, in words, for the output. */
  source: string;
}

/** A reference public key of the project (seed/reference-key*.pub.pem) with this key id. */
export async function referenceKey(keyid: string): Promise<FoundKey | null> {
  const dir = seedDir();
  if (!dir) return null;
  for (const f of (await readdir(dir)).filter((n) => /^reference-key.*\.pub\.pem$/.test(n)).sort()) {
    try {
      const raw = parsePublicKey(await readFile(join(dir, f), 'utf8'));
      if ((await keyIdOfRaw(raw)) === keyid) return { raw, source: `the project's reference key ${resolve(dir, f)}` };
    } catch {
      /* not a key file */
    }
  }
  return null;
}

/** A key registered on `site` (GET /api/keys/<key id>), or null when the site does not know it. */
export async function siteKey(site: string, keyid: string): Promise<FoundKey | null> {
  let key;
  try {
    ({ key } = await siteJson(`${site}/api/keys/${keyid}`, KeyAnswerSchema));
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) return null;
    throw e;
  }
  const raw = parsePublicKey(key.public_key);
  // never trust the site's word for the id: it must be the hash of the key it sent
  if ((await keyIdOfRaw(raw)) !== keyid) throw new Error(`${site} sent a public key whose id is not ${keyid}`);
  return { raw, source: `key "${key.name}" (${key.status}) from ${site}/api/keys/${shortId(keyid)}…` };
}
