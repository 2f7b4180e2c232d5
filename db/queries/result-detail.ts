/** One result for the drill-down page and its downloads (bundle, envelope, config). */
import { eq } from 'drizzle-orm';
import { CellConfigSchema, fromBase64, parseEnvelope, utf8, type ResultBundle } from '../../contract';
import type { Db } from '../types';
import { keys, results } from '../schema';
import { getReproducingIdentities, listReproductions, type Page, type ReproducingIdentities, type ReproductionSummary } from './reproductions';

export interface ResultDetailRow {
  id: string;
  received_at: string;
  hidden: boolean;
  trust: string;
  key: { id: string; name: string | null; status: string };
  bundle: ResultBundle;
  /** One page of its reproductions, the counting ones first; `counts` marks those that set the tier. */
  reproductions: Page<ReproductionSummary>;
  /** The independent identities whose reproductions count, by what they found. */
  identities: ReproducingIdentities;
  /** A maintainer's review of a dispute (confirmed / cleared), if any. */
  dispute_review: 'confirmed' | 'cleared' | null;
}

const ID_RE = /^[0-9a-f]{1,64}$/;

export async function getResultDetail(db: Db, id: string, reproductionsCursor: string | null = null): Promise<ResultDetailRow | null> {
  if (!ID_RE.test(id)) return null;
  const [row] = await db
    .select({
      id: results.id,
      receivedAt: results.receivedAt,
      hidden: results.hidden,
      trust: results.trustTier,
      disputeReview: results.disputeReview,
      bundle: results.bundle,
      keyId: keys.keyId,
      keyName: keys.name,
      keyStatus: keys.status,
    })
    .from(results)
    .innerJoin(keys, eq(keys.keyId, results.keyId))
    .where(eq(results.id, id))
    .limit(1);
  if (!row) return null;
  const [reproductions, identities] = await Promise.all([
    listReproductions(db, row.id, { cursor: reproductionsCursor, limit: 100 }),
    getReproducingIdentities(db, [row.id]),
  ]);
  return {
    id: row.id,
    reproductions,
    identities: identities.get(row.id)!,
    dispute_review: row.disputeReview,
    received_at: row.receivedAt.toISOString(),
    hidden: row.hidden,
    trust: row.trust,
    key: { id: row.keyId, name: row.keyName, status: row.keyStatus },
    // the config in the schema's field order (jsonb reorders keys); values are untouched
    bundle: { ...row.bundle, config: CellConfigSchema.parse(row.bundle.config) },
  };
}

export interface ResultFiles {
  /** The DSSE envelope exactly as received. */
  envelope: Uint8Array;
  /** The signed payload bytes: the bundle exactly as the runner wrote and signed it. */
  bundle: Uint8Array;
  /** The run's CellConfig, pretty-printed (headprep run accepts it). */
  config: string;
}

export async function getResultFiles(db: Db, id: string): Promise<ResultFiles | null> {
  if (!ID_RE.test(id)) return null;
  const [row] = await db.select({ envelope: results.envelope, config: results.config }).from(results).where(eq(results.id, id)).limit(1);
  if (!row) return null;
  const env = parseEnvelope(utf8.decode(row.envelope));
  return { envelope: row.envelope, bundle: fromBase64(env.payload), config: JSON.stringify(CellConfigSchema.parse(row.config), null, 2) + '\n' };
}
