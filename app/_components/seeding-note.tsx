import { seedStatus } from '../_server/seed-status';

/**
 * While a first start is still storing the reference results in the background
 * (app/_server/seed-at-start.ts), every page rendered per request says so: rankings are partial
 * until it is done. Renders nothing otherwise.
 */
export function SeedingNote() {
  const s = seedStatus();
  if (s.state !== 'running') return null;
  return (
    <p className="notice" role="status" data-testid="seeding-note">
      Loading the reference results
      {s.todo > 0 ? `: ${s.done.toLocaleString('en-US')} of ${s.todo.toLocaleString('en-US')} stored so far` : ''}. Rankings and counts
      are incomplete until this finishes (a first start only); reload to see more.
    </p>
  );
}
