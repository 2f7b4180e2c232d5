import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  exportPublicKeyRaw,
  generateKeyPair,
  importPrivateKeyPem,
  keyIdOfRaw,
  publicKeyFromPrivate,
  toBase64,
} from '../../contract';
import { CliError } from '../lib/cli-error';
import { keyFile } from '../lib/paths';

export interface LoadedKey {
  file: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicRaw: Uint8Array;
  publicPem: string;
  publicBase64: string;
  keyid: string;
}

async function describe(file: string, privateKey: CryptoKey): Promise<LoadedKey> {
  const publicKey = await publicKeyFromPrivate(privateKey);
  const publicRaw = await exportPublicKeyRaw(publicKey);
  return {
    file,
    privateKey,
    publicKey,
    publicRaw,
    publicPem: await exportPublicKeyPem(publicKey),
    publicBase64: toBase64(publicRaw),
    keyid: await keyIdOfRaw(publicRaw),
  };
}

/** Creates a new Ed25519 key at `file` (mode 0600). Refuses to overwrite unless `force`. */
export async function createKey(file = keyFile(), force = false): Promise<LoadedKey> {
  const { privateKey } = await generateKeyPair();
  const pem = await exportPrivateKeyPem(privateKey);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, pem, { mode: 0o600, flag: force ? 'w' : 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CliError(`a key already exists at ${file}; use --force to replace it (the old key is lost)`);
    throw e;
  }
  await chmod(file, 0o600);
  return describe(file, privateKey);
}

export async function loadKey(file = keyFile()): Promise<LoadedKey> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`no key at ${file}; create one with: headprep keys create`);
    throw e;
  }
  try {
    return await describe(file, await importPrivateKeyPem(pem));
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
}
