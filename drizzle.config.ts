import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes SQL migrations to db/migrations/ (committed). They are applied
// by db/connect.ts on first use, so no `drizzle-kit migrate` step is needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
