/**
 * Next.js calls register() once per server process, before it serves requests: the database is
 * migrated and the committed seed envelopes are loaded here, so no page read ever writes.
 * Node runtime only (the edge runtime has no database driver).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { seedDatabase } = await import('./app/_server/seed-at-start');
  await seedDatabase();
}
