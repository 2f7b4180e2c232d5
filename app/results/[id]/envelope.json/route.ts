import { resultDownload } from '../download';

export const dynamic = 'force-dynamic';

/** GET /results/<id>/envelope.json: the DSSE envelope bytes exactly as received. */
export const GET = resultDownload('envelope');
