/**
 * Next.js calls register() once per server process, before it serves requests: the database is
 * migrated and the committed seed envelopes are loaded here, so no page read ever writes. The start
 * waits for the seed at most HEADPREP_SEED_WAIT_S seconds (a first start on an empty database
 * takes longer; the rest then loads in the background, app/_server/seed-at-start.ts).
 * The leaderboard views' worker thread starts here too. Node runtime only (the edge runtime has no
 * database driver).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // the view worker loads while the seed is stored (app/_server/view-builder.ts)
  (await import('./app/_server/view-builder')).startViewWorker();
  const { seedAtStart } = await import('./app/_server/seed-at-start');
  await seedAtStart();
}
