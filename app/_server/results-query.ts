import 'server-only';
import { parseSuiteSlug, HEX64_RE, IdSchema, KeyIdSchema } from '../../contract';
import { RESULT_SUMMARY_FIELDS, type ResultFilters, type ResultSummary } from '../../db/queries/results';
import { TRUST_TIERS, type TrustTier } from '../../db/schema';
import { toCsv } from '../_lib/csv';
import { ApiFailure } from './errors';

export interface ResultListRequest {
  filters: ResultFilters;
  cursor: string | null;
  limit: number;
  format: 'json' | 'csv';
}

function id(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name);
  if (v === null || v === '') return undefined;
  if (!IdSchema.safeParse(v).success) throw new ApiFailure(400, 'bad_request', `${name} must be a lowercase registry id, got "${v}"`, name);
  return v;
}

/**
 * GET /api/results query: suite (name or name@version), backbone, dataset, strategy, key (key id),
 * fingerprint, tier, cursor, limit (1-1000, default 100), format (json|csv).
 */
export function parseResultListRequest(params: URLSearchParams): ResultListRequest {
  const filters: ResultFilters = {};
  const suite = params.get('suite');
  if (suite) {
    const ref = parseSuiteSlug(suite);
    if (!ref) throw new ApiFailure(400, 'bad_request', `suite must be "name" or "name@version", got "${suite}"`, 'suite');
    filters.suiteName = ref.name;
    if (ref.version !== null) filters.suiteVersion = ref.version;
  }
  filters.backbone = id(params, 'backbone');
  filters.dataset = id(params, 'dataset');
  filters.strategy = id(params, 'strategy');
  const key = params.get('key');
  if (key) {
    if (!KeyIdSchema.safeParse(key).success) throw new ApiFailure(400, 'bad_request', 'key must be a key id (64 lowercase hex digits)', 'key');
    filters.keyId = key;
  }
  const fp = params.get('fingerprint');
  if (fp) {
    if (!HEX64_RE.test(fp)) throw new ApiFailure(400, 'bad_request', 'fingerprint must be 64 lowercase hex digits', 'fingerprint');
    filters.fingerprint = fp;
  }
  const tier = params.get('tier');
  if (tier) {
    if (!(TRUST_TIERS as readonly string[]).includes(tier))
      throw new ApiFailure(400, 'bad_request', `tier must be one of ${TRUST_TIERS.join(', ')}`, 'tier');
    filters.trustTier = tier as TrustTier;
  }
  const limitText = params.get('limit');
  const limit = limitText === null ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiFailure(400, 'bad_request', 'limit must be an integer from 1 to 1000', 'limit');
  const format = params.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new ApiFailure(400, 'bad_request', 'format must be "json" or "csv"', 'format');
  return { filters, cursor: params.get('cursor'), limit, format };
}

export function resultsCsv(items: ResultSummary[]): string {
  return toCsv(items as unknown as Record<string, unknown>[], RESULT_SUMMARY_FIELDS);
}
