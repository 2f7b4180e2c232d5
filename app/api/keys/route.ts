import { getDb } from '../../../db/connect';
import { serverConfig } from '../../_server/config';
import { handle } from '../../_server/errors';
import { json, readBodyLimited } from '../../_server/http';
import { registerKey } from '../../_server/keys';

/** POST /api/keys: register a key (DSSE envelope of a KeyRegistration signed by that key). */
export async function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const cfg = serverConfig();
    const body = await readBodyLimited(req, 64 * 1024);
    const { status, key } = await registerKey(await getDb(), body, {
      contentType: req.headers.get('content-type'),
      windowS: cfg.registrationWindowS,
      newKeyLimit: cfg.newKeyLimit,
      limitWindowS: cfg.newKeyWindowS,
    });
    return json({ key }, status);
  });
}
