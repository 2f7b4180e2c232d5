import { getDb } from '../../../db/connect';
import { serverConfig } from '../../_server/config';
import { handle } from '../../_server/errors';
import { json, readJsonBody } from '../../_server/http';
import { registerKey } from '../../_server/keys';

/** A KeyRegistration envelope is a few hundred bytes; 64 KiB leaves room for long names. */
const KEY_REGISTRATION_MAX_BYTES = 64 * 1024;

/** POST /api/keys: register a key (DSSE envelope of a KeyRegistration signed by that key). */
export async function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const cfg = serverConfig();
    const body = await readJsonBody(req, KEY_REGISTRATION_MAX_BYTES);
    const { status, key } = await registerKey(await getDb(), body, {
      windowS: cfg.registrationWindowS,
      newKeyLimit: cfg.newKeyLimit,
      limitWindowS: cfg.newKeyWindowS,
    });
    return json({ key }, status);
  });
}
