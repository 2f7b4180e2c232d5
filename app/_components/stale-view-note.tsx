import type { ViewFreshness } from '../_lib/dto';
import { utc } from './time';

/**
 * While the leaderboard of a newer change is being computed (in the background, once per change:
 * db/queries/read-cache.ts), the page shows the previous view and says so. Renders nothing when
 * the view is current.
 */
export function StaleViewNote({ freshness }: { freshness: ViewFreshness }) {
  if (!freshness.stale) return null;
  return (
    <p className="notice" role="status" data-testid="stale-view-note">
      Updating: showing the leaderboard as of {utc(freshness.as_of)}. Newer results are being ranked; reload in a few seconds.
    </p>
  );
}
