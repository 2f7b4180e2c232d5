import { resultDownload } from '../download';

export const dynamic = 'force-dynamic';

/** GET /results/<id>/config.json: the run's exact CellConfig (headprep run accepts it). */
export const GET = resultDownload('config');
