/**
 * Database schema (drizzle-orm, Postgres). TS names are plural camelCase, SQL names snake_case.
 * Migrations are generated with `npx drizzle-kit generate` into db/migrations/ and committed;
 * db/connect.ts applies them on first use.
 *
 * Data shapes:
 * - keys: one Ed25519 public key per row, registered with proof of possession (POST /api/keys).
 *   `identity_id` groups keys of one person or lab (set when a maintainer approves the key).
 * - identities: a person or lab; reproductions count toward a result's tier only from an identity
 *   other than its owner's. The id is the key id of the identity's first approved key.
 * - results: one accepted envelope per row. `envelope` keeps the request body byte-for-byte;
 *   `payload_sha256` (sha256 of the signed payload bytes) is the idempotency key, so the same
 *   bundle replayed, or re-signed by any key, maps to the first row. Headline and final-epoch
 *   feature columns are copies of values inside `bundle`, kept as columns for fast leaderboards.
 * - result_epochs: the bundle's per-epoch rows, for charts.
 * - suites: suite definitions (contract SuiteSchema) the site accepts results for.
 * - rate_limits: fixed-window request counters per key (serverless: state lives in the DB).
 * - reproductions: one rerun of a stored result by another key, with the verdict the site computed
 *   from the two bundles (contract compareBundles). From a signed ReproductionStatement
 *   (POST /api/reproductions) or from a second submission of the same (fingerprint, seed) through
 *   POST /api/results. A result's reproduced / disputed tier is derived from these rows.
 */
import { sql } from 'drizzle-orm';
import { KEY_STATUSES, TRUST_TIERS, type KeyStatus, type TrustTier } from '../../contract';
import {
  bigint,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CellConfig, Comparison, ResultBundle, Suite, Verdict } from '../../contract';

/** bytea as Uint8Array on every driver (pg and neon hand back Buffers, PGlite Uint8Arrays). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => (typeof Buffer !== 'undefined' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v),
  fromDriver: (v) => {
    if (typeof v === 'string') {
      // Some drivers return bytea as '\x<hex>' text.
      const hex = (v as string).startsWith('\\x') ? (v as string).slice(2) : (v as string);
      return Uint8Array.from(Buffer.from(hex, 'hex'));
    }
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  },
});

/** Key statuses and trust tiers are the contract's (contract/api.ts); re-exported for the db layer. */
export { KEY_STATUSES, TRUST_TIERS, type KeyStatus, type TrustTier };

/**
 * Trust tiers of a result. pending: key not approved yet (stored, not ranked); signed: approved
 * key; reproduced / disputed / refuted: set by reproductions and maintainer reviews (contract
 * deriveTrustTier); revoked: the key was revoked after submission.
 * Ranked rows: tier in RANKED_TIERS and hidden = false (disputed is ranked and flagged).
 */
export const RANKED_TIERS: readonly TrustTier[] = ['signed', 'reproduced', 'disputed'];
/** Tiers re-derived from reproductions (an approved owner key). */
export const DERIVED_TIERS: readonly TrustTier[] = ['signed', 'reproduced', 'disputed', 'refuted'];

/** A maintainer's review of a disputed result: confirmed (refuted, unranked) or cleared (the differs before it no longer count). */
export const DISPUTE_REVIEWS = ['confirmed', 'cleared'] as const;
export type DisputeReview = (typeof DISPUTE_REVIEWS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const identities = pgTable('identities', {
  /** The key id of the identity's first approved key. */
  id: text('id').primaryKey(),
  /** The display name (the first key's name). */
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const keys = pgTable(
  'keys',
  {
    /** hex sha256 of the raw 32-byte public key. */
    keyId: text('key_id').primaryKey(),
    /** base64 of the raw 32-byte Ed25519 public key. */
    publicKey: text('public_key').notNull(),
    name: text('name').notNull(),
    contact: text('contact').notNull(),
    status: text('status', { enum: KEY_STATUSES }).notNull().default('pending'),
    createdAt: ts('created_at').notNull().defaultNow(),
    approvedAt: ts('approved_at'),
    revokedAt: ts('revoked_at'),
    /** The person or lab the key belongs to; null until approved. */
    identityId: text('identity_id').references(() => identities.id),
  },
  (t) => [
    index('keys_status_idx').on(t.status),
    index('keys_identity_idx').on(t.identityId),
    check('keys_status_check', sql`${t.status} in ('pending', 'approved', 'revoked')`),
  ],
);

export const suites = pgTable(
  'suites',
  {
    name: text('name').notNull(),
    version: integer('version').notNull(),
    description: text('description').notNull(),
    /** The full contract Suite. */
    definition: jsonb('definition').$type<Suite>().notNull(),
    /** Markdown card (docs/suites/<name>.md), when known. */
    card: text('card'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);

export const results = pgTable(
  'results',
  {
    /** Public id: the first 20 hex digits of payload_sha256 (stable across replays). */
    id: text('id').primaryKey(),
    /** Monotonic insertion order; the cursor of GET /api/results. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    /** The request body exactly as received (GET /api/results/<id>/envelope returns it). */
    envelope: bytea('envelope').notNull(),
    /** hex sha256 of the signed payload bytes: the idempotency key. */
    payloadSha256: text('payload_sha256').notNull(),
    bundle: jsonb('bundle').$type<ResultBundle>().notNull(),
    config: jsonb('config').$type<CellConfig>().notNull(),
    fingerprint: text('fingerprint').notNull(),
    suiteName: text('suite_name').notNull(),
    suiteVersion: integer('suite_version').notNull(),
    backbone: text('backbone').notNull(),
    dataset: text('dataset').notNull(),
    strategy: text('strategy').notNull(),
    strategyVersion: integer('strategy_version').notNull(),
    tau: integer('tau').notNull(),
    seed: integer('seed').notNull(),
    keyId: text('key_id')
      .notNull()
      .references(() => keys.keyId),
    trustTier: text('trust_tier', { enum: TRUST_TIERS }).notNull(),
    hidden: boolean('hidden').notNull().default(false),
    /** A maintainer's review of a dispute (null: none); see DISPUTE_REVIEWS. */
    disputeReview: text('dispute_review', { enum: DISPUTE_REVIEWS }),
    reviewedAt: ts('reviewed_at'),
    /** Bundle status: 'ok' or 'error' (error rows are stored for provenance, never ranked). */
    status: text('status', { enum: ['ok', 'error'] }).notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    // Headline numbers (null when status is 'error').
    testAcc: doublePrecision('test_acc'),
    bestValAcc: doublePrecision('best_val_acc'),
    lastTestAcc: doublePrecision('last_test_acc'),
    lpTestAcc: doublePrecision('lp_test_acc'),
    /** Out-of-distribution test accuracy at the best-validation epoch (datasets with an OOD split). */
    oodTestAcc: doublePrecision('ood_test_acc'),
    bestEpoch: integer('best_epoch'),
    aie: doublePrecision('aie'),
    // Feature metrics at the last epoch.
    featL2Dist: doublePrecision('feat_l2_dist'),
    featCosDist: doublePrecision('feat_cos_dist'),
    featCosSim: doublePrecision('feat_cos_sim'),
    featDot: doublePrecision('feat_dot'),
    featNorm: doublePrecision('feat_norm'),
    wallTimeS: doublePrecision('wall_time_s'),
    samplesPerSec: doublePrecision('samples_per_sec'),
    backend: text('backend').notNull(),
    runnerVersion: text('runner_version').notNull(),
  },
  (t) => [
    uniqueIndex('results_payload_sha256_uq').on(t.payloadSha256),
    uniqueIndex('results_seq_uq').on(t.seq),
    // Leaderboard: one suite version, optionally one cell, only visible rows.
    index('results_leaderboard_idx').on(t.suiteName, t.suiteVersion, t.backbone, t.dataset, t.strategy),
    index('results_fingerprint_idx').on(t.fingerprint),
    // The observation trigger (leaderboardObservations) re-reads one (fingerprint, seed) per change.
    index('results_pair_idx').on(t.fingerprint, t.seed),
    index('results_key_idx').on(t.keyId),
    index('results_visible_idx').on(t.trustTier, t.hidden),
    check('results_trust_tier_check', sql`${t.trustTier} in ('pending', 'signed', 'reproduced', 'disputed', 'refuted', 'revoked')`),
    check('results_dispute_review_check', sql`${t.disputeReview} in ('confirmed', 'cleared')`),
  ],
);

export const resultEpochs = pgTable(
  'result_epochs',
  {
    resultId: text('result_id')
      .notNull()
      .references(() => results.id, { onDelete: 'cascade' }),
    epoch: integer('epoch').notNull(),
    trainLoss: doublePrecision('train_loss').notNull(),
    trainAcc: doublePrecision('train_acc').notNull(),
    valLoss: doublePrecision('val_loss').notNull(),
    valAcc: doublePrecision('val_acc').notNull(),
    testLoss: doublePrecision('test_loss').notNull(),
    testAcc: doublePrecision('test_acc').notNull(),
    energy: doublePrecision('energy').notNull(),
    headGradNorm: doublePrecision('head_grad_norm').notNull(),
    featL2Dist: doublePrecision('feat_l2_dist').notNull(),
    featCosSim: doublePrecision('feat_cos_sim').notNull(),
    featCosDist: doublePrecision('feat_cos_dist').notNull(),
    featDot: doublePrecision('feat_dot').notNull(),
    featNorm: doublePrecision('feat_norm').notNull(),
  },
  (t) => [primaryKey({ columns: [t.resultId, t.epoch] })],
);

export const rateLimits = pgTable(
  'rate_limits',
  {
    keyId: text('key_id').notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.windowStart] }), index('rate_limits_window_idx').on(t.windowStart)],
);

/**
 * Seed files (seed/envelopes/*.jsonl.gz, seed/load.ts) whose every envelope is stored: a server
 * start skips a file whose bytes (sha256) are listed here without reading it. A file with a refused
 * envelope is not listed, so the next start looks at it again.
 */
export const seedFiles = pgTable('seed_files', {
  /** hex sha256 of the file's bytes as committed (compressed). */
  sha256: text('sha256').primaryKey(),
  name: text('name').notNull(),
  envelopes: integer('envelopes').notNull(),
  loadedAt: ts('loaded_at').notNull().defaultNow(),
});

/**
 * The leaderboard's observation table: per (protocol fingerprint, seed), the one result a ranking
 * counts and only the numbers the ranking, the claims and the charts use (db/queries/leaderboard.ts
 * reads it; the result rows, with their bundles, are never scanned for a leaderboard).
 *
 * Maintained by a trigger on `results` (migration 0005_leaderboard_observations.sql,
 * headprep_results_observe): every insert, delete, or change of tier, hidden, status or a ranked
 * number re-derives the row(s) of that (fingerprint, seed) from its results, inside the same
 * transaction as the change (ingest, hide/show, key approve/revoke, reproductions and dispute
 * reviews all write `results`). The derivation is the leaderboard's visibility rule:
 * - view 'ranked': the first visible result (status ok, not hidden, test_acc present, tier ranked
 *   or pending), approved tiers before pending ones, then by seq. `copies` counts those visible
 *   results, `copies_ranked` those of ranked tiers (a view without pending keys reads the row only
 *   when its tier is not pending: if any ranked result exists it is the chosen one).
 * - view 'reproduced': the first result with tier 'reproduced' (the reproduced-only filter).
 */
export const OBSERVATION_VIEWS = ['ranked', 'reproduced'] as const;
export const leaderboardObservations = pgTable(
  'leaderboard_observations',
  {
    fingerprint: text('fingerprint').notNull(),
    seed: integer('seed').notNull(),
    view: text('view', { enum: OBSERVATION_VIEWS }).notNull(),
    suiteName: text('suite_name').notNull(),
    suiteVersion: integer('suite_version').notNull(),
    resultId: text('result_id').notNull(),
    backbone: text('backbone').notNull(),
    dataset: text('dataset').notNull(),
    strategy: text('strategy').notNull(),
    tau: integer('tau').notNull(),
    eta: doublePrecision('eta'),
    temperature: doublePrecision('temperature'),
    trustTier: text('trust_tier', { enum: TRUST_TIERS }).notNull(),
    testAcc: doublePrecision('test_acc').notNull(),
    bestValAcc: doublePrecision('best_val_acc'),
    aie: doublePrecision('aie'),
    featL2Dist: doublePrecision('feat_l2_dist'),
    featCosDist: doublePrecision('feat_cos_dist'),
    featDot: doublePrecision('feat_dot'),
    featNorm: doublePrecision('feat_norm'),
    oodTestAcc: doublePrecision('ood_test_acc'),
    lpTestAcc: doublePrecision('lp_test_acc'),
    /** Visible results of this (fingerprint, seed) in this view (pending keys included). */
    copies: integer('copies').notNull(),
    /** Of those, the ones of ranked tiers. */
    copiesRanked: integer('copies_ranked').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.fingerprint, t.seed, t.view] }),
    index('leaderboard_observations_suite_idx').on(t.suiteName, t.suiteVersion, t.view),
    check('leaderboard_observations_view_check', sql`${t.view} in ('ranked', 'reproduced')`),
  ],
);

/**
 * One row per suite version with results: how many results it stores (any status, hidden ones
 * included) and a change stamp that a statement trigger on results (headprep_results_stamp, same
 * migration) bumps once per statement that changed one of its results.
 * A cached leaderboard view is current while the stamp it was built at is (db/queries/read-cache.ts).
 */
export const leaderboardStamps = pgTable(
  'leaderboard_stamps',
  {
    suiteName: text('suite_name').notNull(),
    suiteVersion: integer('suite_version').notNull(),
    results: integer('results').notNull(),
    stamp: bigint('stamp', { mode: 'number' }).notNull(),
    changedAt: ts('changed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.suiteName, t.suiteVersion] })],
);

export const REPRODUCTION_SOURCES = ['statement', 'result'] as const;

export const reproductions = pgTable(
  'reproductions',
  {
    /** Public id: the first 20 hex digits of payload_sha256. */
    id: text('id').primaryKey(),
    /** Monotonic insertion order; the cursor of GET /api/reproductions. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    /** The reproduced result. */
    resultId: text('result_id')
      .notNull()
      .references(() => results.id, { onDelete: 'cascade' }),
    /** The reproducer's key (never the result's own key). */
    keyId: text('key_id')
      .notNull()
      .references(() => keys.keyId),
    /** statement: a signed ReproductionStatement; result: a second POST /api/results of the same (fingerprint, seed). */
    source: text('source', { enum: REPRODUCTION_SOURCES }).notNull(),
    /** The request body exactly as received (the signed statement or result envelope). */
    envelope: bytea('envelope').notNull(),
    /** hex sha256 of the signed payload bytes: the idempotency key. */
    payloadSha256: text('payload_sha256').notNull(),
    /** The reproducer's ResultBundle. */
    bundle: jsonb('bundle').$type<ResultBundle>().notNull(),
    /** The verdict the site computed; the only one that counts. */
    verdict: text('verdict', { enum: ['exact', 'within', 'differs'] }).notNull(),
    /** The verdict the statement claimed (null for source "result"). */
    claimedVerdict: text('claimed_verdict', { enum: ['exact', 'within', 'differs'] }),
    comparison: jsonb('comparison').$type<Comparison>().notNull(),
    backend: text('backend').notNull(),
    runnerVersion: text('runner_version').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reproductions_payload_sha256_uq').on(t.payloadSha256),
    index('reproductions_result_idx').on(t.resultId),
    index('reproductions_key_idx').on(t.keyId),
    uniqueIndex('reproductions_seq_uq').on(t.seq),
    check('reproductions_verdict_check', sql`${t.verdict} in ('exact', 'within', 'differs')`),
    check('reproductions_source_check', sql`${t.source} in ('statement', 'result')`),
  ],
);

export type KeyRow = typeof keys.$inferSelect;
export type IdentityRow = typeof identities.$inferSelect;
export type ReproductionRow = typeof reproductions.$inferSelect;
export type { Verdict };
export type ResultRow = typeof results.$inferSelect;
export type ResultEpochRow = typeof resultEpochs.$inferSelect;
export type SuiteRow = typeof suites.$inferSelect;
export type LeaderboardObservationRow = typeof leaderboardObservations.$inferSelect;
