import { loadSuiteIndex } from '../../_server/read-model';
import { handle } from '../../_server/errors';

export const dynamic = 'force-dynamic';

/** GET /api/suites: every published suite version with its ranked and pending result counts (contract SuiteIndexSchema). */
export async function GET(): Promise<Response> {
  return handle(async () => Response.json({ suites: await loadSuiteIndex() }));
}
