import { KeyIdSchema } from '../../../../contract';
import { ApiFailure, handle } from '../../../_server/errors';
import { json } from '../../../_server/http';
import { publicKeyInfo } from '../../../_server/keys';
import { loadKey } from '../../../_server/read-model';

export const dynamic = 'force-dynamic';

/** GET /api/keys/<key id>: a key's public status (no contact details). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const { id } = await ctx.params;
    if (!KeyIdSchema.safeParse(id).success) throw new ApiFailure(400, 'bad_request', 'key id must be 64 lowercase hex digits', 'id');
    const key = await loadKey(id);
    if (!key) throw new ApiFailure(404, 'not_found', `no key ${id}; register it with: headprep keys register --site <url>`);
    return json({ key: publicKeyInfo(key) });
  });
}
