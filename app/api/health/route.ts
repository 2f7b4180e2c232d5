import { errorResponse, DB_UNAVAILABLE_RETRY_S } from '../../_server/errors';
import { json } from '../../_server/http';
import { checkDatabase, seedError } from '../../_server/health';
import { seedStatus } from '../../_server/seed-status';
import type { Health } from '../../../contract';

export const dynamic = 'force-dynamic';

/**
 * GET /api/health: 200 `{ ok: true, database: { driver, migrations, latency_ms }, seed, degraded? }`
 * when the database answers and has every migration of this build (`seed`: the first-start loading
 * of the reference results, `running` while it goes on in the background; `degraded` names what
 * failed at start, e.g. storing the reference results); otherwise 503 with the error envelope naming
 * the reason (`unavailable`: unreachable, missing, refused; `unmigrated`), logged too.
 */
export async function GET(): Promise<Response> {
  const h = await checkDatabase();
  if (!h.ok) {
    console.error(`[health] database ${h.code}: ${h.reason}`);
    return errorResponse(503, h.code, `database (${h.driver}) ${h.code === 'unavailable' ? 'unavailable' : 'not migrated'}: ${h.reason}`, undefined, {
      'retry-after': String(DB_UNAVAILABLE_RETRY_S),
    });
  }
  const degraded = seedError();
  const body: Health = {
    ok: true,
    database: { driver: h.driver, migrations: h.migrations, latency_ms: h.latency_ms },
    seed: seedStatus(),
    ...(degraded ? { degraded } : {}),
  };
  return json(body);
}
