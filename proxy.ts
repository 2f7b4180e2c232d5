/**
 * Runs before every route (Next's proxy, Node runtime), for two answers no route handler can give:
 * - a path that is not valid percent-encoded UTF-8 (`/api/results/%ff`): Next would fail decoding
 *   the route's parameters and answer a plain-text 500. API paths get 400 in the API's error
 *   shape, pages the site's 404 page.
 * - pages while the database is unreachable or unmigrated: a readable 503 page with the reason and
 *   Retry-After, instead of a generic 500 (the check is cached for 2 s; app/_server/health.ts).
 *   API routes answer 503 themselves (app/_server/errors.ts).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { cachedDatabaseHealth } from './app/_server/health';

const RETRY_S = 5;

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function unavailablePage(reason: string): NextResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable — HeadPrep</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>HeadPrep is temporarily unavailable</h1>
<p>The site cannot reach its database, so it cannot show results right now. Please try again in a few seconds.</p>
<p style="color: #555">Reason: ${escapeHtml(reason)}</p>
<p style="color: #555">If you run this site: check <code>DATABASE_URL</code> / <code>POSTGRES_URL</code> and the server log; <code>/api/health</code> says the same.</p>
</body></html>`;
  return new NextResponse(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': String(RETRY_S), 'cache-control': 'no-store' } });
}

export async function proxy(req: NextRequest): Promise<NextResponse> {
  const { pathname } = req.nextUrl;
  const api = pathname === '/api' || pathname.startsWith('/api/');
  if (!decodable(pathname)) {
    if (api)
      return NextResponse.json(
        { error: { code: 'bad_request', message: 'the request path is not valid percent-encoded UTF-8 (e.g. %ff); encode each path segment with encodeURIComponent', path: 'path' } },
        { status: 400 },
      );
    // no route has this path: the site's own 404 page
    return NextResponse.rewrite(new URL('/__not-found', req.url), { status: 404 });
  }
  if (!api) {
    const h = await cachedDatabaseHealth();
    if (!h.ok) {
      console.error(`[pages] database ${h.code}: ${h.reason}`);
      return unavailablePage(h.reason);
    }
  }
  return NextResponse.next();
}

export const config = {
  // pages and API routes; not Next's static assets, the icon or the downloads of a stored result
  matcher: ['/((?!_next/static|_next/image|icon.svg|favicon.ico).*)'],
};
