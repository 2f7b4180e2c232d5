import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
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
