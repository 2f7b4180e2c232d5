import { resultDownload } from '../download';

export const dynamic = 'force-dynamic';

/** GET /results/<id>/bundle.json: the ResultBundle exactly as signed (the envelope payload bytes). */
export const GET = resultDownload('bundle');
