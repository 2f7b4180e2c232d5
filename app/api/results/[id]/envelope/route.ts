import { getById } from '../../../../_server/by-id';
import { loadResultEnvelope } from '../../../../_server/read-model';

export const dynamic = 'force-dynamic';

/** GET /api/results/<id>/envelope: the envelope byte for byte as it was submitted. */
export const GET = getById(
  'result',
  loadResultEnvelope,
  (bytes, id) =>
    new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': 'application/json',
        'content-disposition': `attachment; filename="${id}.envelope.json"`,
        'cache-control': 'public, max-age=31536000, immutable',
      },
    }),
);
