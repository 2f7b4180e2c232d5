import type { NextConfig } from 'next';

/**
 * Security headers on every page and API answer. Next's own inline bootstrap scripts need
 * 'unsafe-inline' in script-src (no nonces here: pages are cached), recharts sets inline styles,
 * and the dev server's React refresh needs 'unsafe-eval' (development only). Nothing is loaded from
 * other origins; no page may be framed (the admin console's buttons must not be clickjacked).
 */
const CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = [
  { key: 'Content-Security-Policy', value: CSP },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
];

const nextConfig: NextConfig = {
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
  // Native/WASM database drivers stay external to the server bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', '@vercel/postgres', '@neondatabase/serverless', 'ws'],
  // The runner (tfjs) is never part of the site build.
  outputFileTracingExcludes: { '*': ['runner/**', 'node_modules/@tensorflow/**'] },
  // Read at run time from process.cwd(): migrations, published suites and first-start seed data
  // must ship with serverless deployments (Vercel) too.
  outputFileTracingIncludes: { '*': ['db/migrations/**', 'seed/**'] },
  typedRoutes: false,
  poweredByHeader: false,
};

export default nextConfig;
