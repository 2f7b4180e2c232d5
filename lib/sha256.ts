/**
 * The one SHA-256 helper of the Node-side code (runner/, seed/, scripts/, bench/ and the site's
 * server code): synchronous, lowercase hex. contract/ runs in the browser too and has its own,
 * asynchronous one on Web Crypto (contract/encoding.ts `sha256Hex`); both give the same digest.
 * This folder imports only Node built-ins.
 */
import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of `data` (a string is hashed as its UTF-8 bytes). */
export function sha256HexSync(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
