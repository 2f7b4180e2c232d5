/** Contract hot paths: fingerprinting and envelope verification (Web Crypto Ed25519). */
import { fingerprint, generateKeyPair, exportPublicKeyRaw, RESULT_PAYLOAD_TYPE, signEnvelope, utf8, verifyEnvelope } from '../../contract';
import { makeBundle, makeConfig } from '../../fixtures/bundle';
import type { BenchResult, BenchSuite } from '../types';

async function rate(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return n / ((performance.now() - t0) / 1000);
}

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    const config = makeConfig();
    const fpPerSec = await rate(2000, () => fingerprint(config));
    const { privateKey, publicKey } = await generateKeyPair();
    const raw = await exportPublicKeyRaw(publicKey);
    const env = await signEnvelope(utf8.encode(JSON.stringify(makeBundle())), RESULT_PAYLOAD_TYPE, privateKey, publicKey);
    const keyid = env.signatures[0]!.keyid;
    const verifyPerSec = await rate(2000, () => verifyEnvelope(env, RESULT_PAYLOAD_TYPE, (id) => (id === keyid ? raw : null)));
    return [
      { name: 'fingerprint', metrics: { ops_per_sec: fpPerSec } },
      { name: 'verify_envelope', params: { payload_bytes: env.payload.length }, metrics: { ops_per_sec: verifyPerSec } },
    ];
  },
};
export default suite;
