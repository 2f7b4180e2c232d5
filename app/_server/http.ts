import 'server-only';
import { ApiFailure } from './errors';

function tooLarge(max: number): ApiFailure {
  return new ApiFailure(413, 'body_too_large', `request body exceeds ${max} bytes`);
}

/**
 * Reads the request body as bytes, refusing more than `max` bytes (413) without buffering them:
 * a declared Content-Length over the limit is refused before reading; otherwise the stream is
 * cancelled as soon as it passes the limit.
 */
export async function readBodyLimited(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

/** True for application/json with or without parameters (charset=utf-8). */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * The body of a JSON upload (POST /api/results, /api/reproductions, /api/keys), checked once and
 * in this order: Content-Type application/json (415) before a byte is read, then at most
 * `maxBytes` bytes (413, see readBodyLimited).
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const contentType = req.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    await discardBody(req, maxBytes);
    throw new ApiFailure(415, 'unsupported_media_type', `Content-Type must be application/json, got "${contentType ?? '(none)'}"`);
  }
  return readBodyLimited(req, maxBytes);
}

/**
 * Reads and drops up to `max` bytes of a refused body (nothing is kept), then cancels the rest: a
 * client still sending the body then gets the answer, and a keep-alive connection stays usable,
 * instead of a reset (a body past the size limit is cut off as in readBodyLimited).
 */
async function discardBody(req: Request, max: number): Promise<void> {
  if (!req.body) return;
  const reader = req.body.getReader();
  try {
    for (let n = 0; n <= max; ) {
      const { done, value } = await reader.read();
      if (done) return;
      n += value.byteLength;
    }
    await reader.cancel();
  } catch {
    /* the client went away: nothing to answer */
  }
}

export { json } from './json-response';
