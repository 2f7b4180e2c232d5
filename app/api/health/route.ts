import { seedStatus } from '../../_server/seed-status';

export const dynamic = 'force-dynamic';

export function GET() {
  // seed: the first-start loading of the reference results (state running while it goes on in the background)
  return Response.json({ ok: true, seed: seedStatus() });
}
