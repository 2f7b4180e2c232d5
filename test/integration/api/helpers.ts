/** Keys, signed envelopes and Requests for the API tests (real crypto, no mocks). */
import {
  exportPublicKeyRaw,
  fingerprint,
  generateKeyPair,
  KEY_REGISTRATION_PAYLOAD_TYPE,
  keyIdOfRaw,
  RESULT_PAYLOAD_TYPE,
  signEnvelope,
  suiteCellConfig,
  toBase64,
  utf8,
  type CellConfig,
  type DsseEnvelope,
  type ResultBundle,
  type Suite,
} from '../../../contract';
import tiny from '../../../contract/suites/tiny@1.json';
import { makeBundle } from '../../fixtures/bundle';

export interface TestKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  raw: Uint8Array;
  keyid: string;
}

export async function newKey(): Promise<TestKey> {
  const kp = await generateKeyPair();
  const raw = await exportPublicKeyRaw(kp.publicKey);
  return { ...kp, raw, keyid: await keyIdOfRaw(raw) };
}

/**
 * A config that is a real cell of the published tiny@1 suite (linear x synthetic-linear, hp-tau
 * tau 2), built from the suite file the site loads. `overrides` may take it out of the suite (the
 * refusal tests do).
 */
export function tinyConfig(overrides: Partial<CellConfig> = {}): CellConfig {
  const suite = tiny as Suite;
  const entry = suite.grid.strategies.find((s) => s.strategy.id === 'hp-tau')!;
  const cell = suiteCellConfig(suite, entry, {
    backbone: { id: 'linear', sha256: 'a'.repeat(64), feature_layer: 'features' },
    dataset: { id: 'synthetic-linear', sha256: 'b'.repeat(64), n_train: 400, n_val: 200, n_test: 400, n_classes: 4 },
    tau: 2,
    seed: 0,
  });
  return { ...cell, ...overrides };
}

/** A valid tiny@1 bundle with a correct fingerprint; `seed` makes distinct payloads. */
export async function validBundle(seed = 0, overrides: Partial<CellConfig> = {}): Promise<ResultBundle> {
  const config = tinyConfig({ seed, ...overrides });
  return makeBundle(config, await fingerprint(config));
}

export async function signBytes(payload: Uint8Array, key: TestKey, payloadType = RESULT_PAYLOAD_TYPE): Promise<DsseEnvelope> {
  return signEnvelope(payload, payloadType, key.privateKey, key.publicKey);
}

export async function signBundle(bundle: ResultBundle, key: TestKey, payloadType = RESULT_PAYLOAD_TYPE): Promise<string> {
  return JSON.stringify(await signBytes(utf8.encode(JSON.stringify(bundle)), key, payloadType));
}

export async function registrationBody(
  key: TestKey,
  opts: { signer?: TestKey; issuedAt?: Date; name?: string; contact?: string; payloadType?: string } = {},
): Promise<string> {
  const reg = {
    public_key: toBase64(key.raw),
    name: opts.name ?? 'test lab',
    contact: opts.contact ?? 'lab@example.org',
    issued_at: (opts.issuedAt ?? new Date()).toISOString(),
  };
  const env = await signBytes(utf8.encode(JSON.stringify(reg)), opts.signer ?? key, opts.payloadType ?? KEY_REGISTRATION_PAYLOAD_TYPE);
  return JSON.stringify(env);
}

export const ORIGIN = 'http://headprep.test';

export function post(path: string, body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }): Request {
  return new Request(`${ORIGIN}${path}`, { method: 'POST', body, headers });
}

export function get(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}${path}`, { headers });
}

export const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

export interface ApiErrorBody {
  error: { code: string; message: string; path?: string };
}
