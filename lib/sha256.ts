/**
 * The one SHA-256 helper of the Node-side code (runner/, seed/, scripts/, bench/ and the site's
 * server code): synchronous, lowercase hex. contract/ runs in the browser too and has its own,
 * asynchronous one on Web Crypto (contract/encoding.ts `sha256Hex`); both give the same digest.
 * This folder imports only Node built-ins.
 */
import { createHash } from 'node:crypto';

/**
 * Lowercase hex SHA-256 of `parts` one after the other, as one stream of bytes (a string is
 * hashed as its UTF-8 bytes): `sha256HexSync(a, b)` is the digest of a's bytes followed by b's.
 */
export function sha256HexSync(...parts: (Uint8Array | string)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}
