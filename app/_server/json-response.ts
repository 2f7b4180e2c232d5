import 'server-only';

const encoder = new TextEncoder();
/** The size below which compressing a body costs more than it saves (the `compression` package's default threshold). */
const COMPRESS_MIN_BYTES = 1024;

/**
 * A JSON response. Bodies under 1 KiB are marked `no-transform`: Next's server drops the
 * Content-Length of route handler responses and then gzips every body, however small; setting up
 * a zlib stream per response was ~10% of the server's CPU per ingested envelope.
 */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const bytes = encoder.encode(JSON.stringify(body));
  const cacheControl = bytes.byteLength < COMPRESS_MIN_BYTES ? 'no-store, no-transform' : 'no-store';
  return new Response(bytes, {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': cacheControl, ...headers },
  });
}
