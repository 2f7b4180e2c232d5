/**
 * Download-with-cache for dataset files and backbones: a URL is fetched once into the cache dir,
 * its sha256 checked (when known), and the cached copy reused afterwards. Offline, the error names
 * the URL and the exact cache path, so a user can place the file there by hand.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sha256HexSync } from '../../lib/sha256';

export class DownloadError extends Error {
  override name = 'DownloadError';
}

export interface FetchOptions {
  /** Expected sha256 (hex); the file is rejected when it differs. */
  sha256?: string;
  /** Where the file is cached. */
  cachePath: string;
  log?: (line: string) => void;
}

/** Returns the bytes of `url`, from `cachePath` when present and valid, else downloaded there. */
export async function fetchCached(url: string, opts: FetchOptions): Promise<Uint8Array> {
  const { cachePath, sha256 } = opts;
  if (existsSync(cachePath)) {
    const bytes = new Uint8Array(await readFile(cachePath));
    if (!sha256 || sha256HexSync(bytes) === sha256) return bytes;
    opts.log?.(`${cachePath}: sha256 mismatch, downloading again`);
  }
  let bytes: Uint8Array;
  try {
    opts.log?.(`downloading ${url} -> ${cachePath}`);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    const reason = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new DownloadError(
      `could not download ${url} (${reason}). If this machine is offline, fetch the file elsewhere and place it at ${cachePath}` +
        (sha256 ? ` (expected sha256 ${sha256})` : ''),
    );
  }
  const got = sha256HexSync(bytes);
  if (sha256 && got !== sha256)
    throw new DownloadError(`${url}: sha256 mismatch: expected ${sha256}, got ${got} (not cached at ${cachePath})`);
  await mkdir(dirname(cachePath), { recursive: true });
  const tmp = `${cachePath}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  try {
    await rename(tmp, cachePath);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  return bytes;
}

/** Bytes of a local path or http(s) URL (URLs cached under `cachePath`). */
export async function readSource(source: string, opts: FetchOptions): Promise<Uint8Array> {
  if (/^https?:\/\//.test(source)) return fetchCached(source, opts);
  const bytes = new Uint8Array(await readFile(source.replace(/^file:\/\//, '')));
  if (opts.sha256 && sha256HexSync(bytes) !== opts.sha256)
    throw new DownloadError(`${source}: sha256 mismatch: expected ${opts.sha256}, got ${sha256HexSync(bytes)}`);
  return bytes;
}
