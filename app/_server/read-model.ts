import 'server-only';
import { getDb } from '../../db/connect';
import type { Db } from '../../db/types';
import { getConfigByFingerprint } from '../../db/queries/configs';
import { countKeyResults, countKeyResultsMatching, filterWords, findKeyByIdOrPrefix, listKeyResults, listKeyResultsPage, type KeyLookup, type KeyResultRow } from '../../db/queries/key-page';
import { getActivity, getPackedLeaderboardData, getSuiteStamp, getSuiteStamps, listSuiteVersions } from '../../db/queries/leaderboard';
import { cachedRead, cachedView, currentView, type DataStamp } from '../../db/queries/read-cache';
import { getKey, identityMatchFor, listKeys, type IdentityMatch } from '../../db/queries/keys';
export { isReproductionCursor, REPRODUCTION_PAGE_MAX } from '../../db/queries/reproductions';
import { getReproducingIdentities, getReproduction, listReproductions, listReproductionsByKey, type Page, type ReproducingIdentities, type ReproductionDetail, type ReproductionSummary } from '../../db/queries/reproductions';
import { getResultDetail, getResultFiles, type ResultDetailRow, type ResultFiles } from '../../db/queries/result-detail';
import { getResult, getResultEnvelope, listResults, type ResultDetail, type ResultFilters, type ResultPage } from '../../db/queries/results';
import type { KeyRow, KeyStatus } from '../../db/schema';
import { listSuiteIndex, type SuiteIndexRow } from '../../db/queries/suite-index';
import type { CellConfig } from '../../contract';
import type { HomeView, LeaderboardFilters, LeaderboardView, ReferenceConfigList, ViewFreshness } from '../_lib/dto';
import { filtersToQuery, homeFromDigests, homeSuiteRows, parseFilters, referenceListsFromDigests, suiteDigest, type SuiteDigest, type SuiteVersionRow } from '../_lib/leaderboard-view';
import { siteOrigin } from './site-origin';
import { buildViewOffThread } from './view-builder';

/**
 * The site's read model: one loader per page or read endpoint, each owning the database handle,
 * the read cache, the query and the view building, so a page makes one call. The aggregate views
 * (leaderboards, the home page, reference configs) are cached per process and recomputed once per
 * change of their data stamp, in the background (db/queries/read-cache.ts); single-row reads go
 * straight to the database. Reads never
 * write: the committed seed envelopes are loaded at server start (instrumentation.ts).
 *
 * Page loaders (`load*Page`) also return the site's public origin for copy-paste commands; API
 * loaders leave it to the route, which knows its request.
 */

/**
 * The leaderboard view of one suite version (the latest when version is null) and its freshness,
 * or a null view when the suite has neither results nor a definition.
 */
export async function loadLeaderboardViewFresh(ref: { name: string; version: number | null }, filters: LeaderboardFilters): Promise<{ view: LeaderboardView | null; freshness: ViewFreshness }> {
  const db = await getDb();
  const c = await cachedLeaderboardView(db, ref, filters, await getSuiteStamp(db, ref.name));
  return { view: c.value, freshness: { stale: c.stale, as_of: c.asOf ? c.asOf.toISOString() : null } };
}

/**
 * The cached value is the finished view per (suite, filters), tagged with the suite's change stamp:
 * a warm request reads the stamp (a few rows) and nothing else; after a change the view is
 * recomputed once, in the background, from the observation table, the previous one served meanwhile.
 */
function cachedLeaderboardView(db: Db, ref: { name: string; version: number | null }, filters: LeaderboardFilters, stamp: DataStamp) {
  return cachedView(...leaderboardView(db, ref, filters, stamp));
}

/** The cache key, stamp and computation of one leaderboard view. */
function leaderboardView(db: Db, ref: { name: string; version: number | null }, filters: LeaderboardFilters, stamp: DataStamp) {
  return [
    `lb|${ref.name}|${ref.version}|${filtersToQuery(filters)}`,
    stamp,
    async () => {
      const data = await getPackedLeaderboardData(db, ref, filters);
      return data && buildViewOffThread({ ...data, filters });
    },
  ] as const;
}

const NO_FILTERS = parseFilters({});

/**
 * The digests (app/_lib/leaderboard-view.ts SuiteDigest) of the suite versions `pick` chooses from
 * every one the site knows, each read off its default leaderboard view, which is cached per suite
 * stamp and built off-thread like the suite page's: a change to one suite recomputes that suite
 * alone, and a warm read is two small queries (the suite versions and their stamps) whatever the
 * number of results.
 */
async function suiteDigests(pick: (rows: SuiteVersionRow[]) => SuiteVersionRow[] = (rows) => rows): Promise<{ digests: SuiteDigest[]; rows: SuiteVersionRow[] }> {
  const db = await getDb();
  const [rows, stamps] = await Promise.all([listSuiteVersions(db), getSuiteStamps(db)]);
  const digests = await Promise.all(
    pick(rows).map(async (row) => {
      const stamp = stamps.get(row.name) ?? { stamp: '|', changedAt: null };
      // the digest is read off the suite page's own default view: one computation serves both
      // the row's result count changes only with the suite's stamp (both in leaderboard_stamps); a published suite's description never changes
      return (await cachedView(`digest|${row.name}|${row.version}`, stamp, async () => suiteDigest(row, await currentView(...leaderboardView(db, row, NO_FILTERS, stamp))))).value;
    }),
  );
  return { digests, rows };
}

/** The leaderboard view of one suite version (the latest when version is null), or null when the suite has neither results nor a definition. */
export async function loadLeaderboardView(ref: { name: string; version: number | null }, filters: LeaderboardFilters): Promise<LeaderboardView | null> {
  return (await loadLeaderboardViewFresh(ref, filters)).view;
}

export async function loadSuitePage(ref: { name: string; version: number | null }, filters: LeaderboardFilters): Promise<{ view: LeaderboardView | null; freshness: ViewFreshness; origin: string }> {
  const [{ view, freshness }, origin] = await Promise.all([loadLeaderboardViewFresh(ref, filters), siteOrigin()]);
  return { view, freshness, origin };
}

/** Every suite version's best strategy per cell, as downloadable reference configs. */
export async function loadReferenceLists(): Promise<ReferenceConfigList[]> {
  return referenceListsFromDigests((await suiteDigests()).digests);
}

export async function loadConfigsPage(): Promise<{ suites: ReferenceConfigList[]; origin: string }> {
  const [suites, origin] = await Promise.all([loadReferenceLists(), siteOrigin()]);
  return { suites, origin };
}

/** The home page: the ranked suites and recent results, every published suite, and the origin. */
export async function loadHomePage(): Promise<{ view: HomeView; index: SuiteIndexRow[]; origin: string }> {
  const [view, index, origin] = await Promise.all([loadHomeView(), loadSuiteIndex(), siteOrigin()]);
  return { view, index, origin };
}

/** The ranked suites (one digest per suite version) and the recent activity of approved keys. */
export async function loadHomeView(): Promise<HomeView> {
  const db = await getDb();
  const [{ digests, rows }, activity] = await Promise.all([suiteDigests(homeSuiteRows), cachedRead(db, 'activity', () => getActivity(db))]);
  return homeFromDigests(digests, activity, rows);
}

/** Every published suite version with its counts (GET /api/suites, which the 404 page reads), cached per site stamp. */
export async function loadSuiteIndex(): Promise<SuiteIndexRow[]> {
  const db = await getDb();
  return cachedRead(db, 'suite-index', () => listSuiteIndex(db));
}

/** A submitter's key (full id or unique prefix) and its results (empty unless the key was found). */
export async function loadKeyPage(idOrPrefix: string): Promise<{ lookup: KeyLookup; results: KeyResultRow[] }> {
  const db = await getDb();
  const lookup = await findKeyByIdOrPrefix(db, idOrPrefix);
  return { lookup, results: lookup.kind === 'found' ? await listKeyResults(db, lookup.key.id) : [] };
}

/** The key page: the key, one page of its results and one of its reproductions (cursors from the URL), and its counts. */
export async function loadKeyPagePaged(
  idOrPrefix: string,
  cursors: { results?: string | null; reproductions?: string | null },
  /** Keeps the results that match every word (db/queries/key-page.ts filterWords); null: all. */
  q: string | null = null,
): Promise<{
  lookup: KeyLookup;
  results: { items: KeyResultRow[]; next_cursor: string | null };
  reproductions: Page<ReproductionSummary>;
  /** The key's visible results and pending ones; `matching`: how many match `q` (null without a filter). */
  counts: { total: number; pending: number; matching: number | null };
}> {
  const db = await getDb();
  const lookup = await findKeyByIdOrPrefix(db, idOrPrefix);
  if (lookup.kind !== 'found')
    return { lookup, results: { items: [], next_cursor: null }, reproductions: { items: [], next_cursor: null }, counts: { total: 0, pending: 0, matching: null } };
  const id = lookup.key.id;
  const filtered = filterWords(q).length > 0;
  const [results, reproductions, counts, matching] = await Promise.all([
    listKeyResultsPage(db, id, { cursor: cursors.results ?? null, limit: 100, q }),
    listReproductionsByKey(db, id, { cursor: cursors.reproductions ?? null, limit: 100 }),
    countKeyResults(db, id),
    filtered ? countKeyResultsMatching(db, id, q) : Promise.resolve(null),
  ]);
  return { lookup, results, reproductions, counts: { ...counts, matching } };
}

/** The submit page: the key the visitor asked about (if any), its results, and the origin. */
export async function loadSubmitPage(keyParam: string): Promise<{ lookup: KeyLookup | null; results: KeyResultRow[]; origin: string }> {
  const [key, origin] = await Promise.all([keyParam ? loadKeyPage(keyParam) : null, siteOrigin()]);
  return { lookup: key?.lookup ?? null, results: key?.results ?? [], origin };
}

export async function loadResult(id: string, reproductionsCursor: string | null = null): Promise<ResultDetailRow | null> {
  return getResultDetail(await getDb(), id, reproductionsCursor);
}

export async function loadResultFiles(id: string): Promise<ResultFiles | null> {
  return getResultFiles(await getDb(), id);
}

/** A ranked result's CellConfig with this fingerprint (the requested seed, else the smallest stored). */
export async function loadConfig(fingerprint: string, seed: number | null): Promise<CellConfig | null> {
  return getConfigByFingerprint(await getDb(), fingerprint, seed);
}

// ---- API reads (GET /api/...): single rows and pages, not cached ----

/** GET /api/results: one page of results (CursorError for a malformed cursor). */
export async function loadResultList(filters: ResultFilters, page: { cursor?: string | null; limit?: number }): Promise<ResultPage> {
  return listResults(await getDb(), filters, page);
}

/** GET /api/results/<id>: the result's columns and its parsed bundle (hidden ones too). */
export async function loadResultSummary(id: string): Promise<ResultDetail | null> {
  return getResult(await getDb(), id);
}

/** GET /api/results/<id>/envelope: the envelope byte for byte as submitted. */
export async function loadResultEnvelope(id: string): Promise<Uint8Array | null> {
  return getResultEnvelope(await getDb(), id);
}

/** GET /api/reproductions?result=<id>: a page of a result's reproductions, the counting ones first. */
export async function loadReproductions(resultId: string, page: { cursor?: string | null; limit?: number } = {}): Promise<Page<ReproductionSummary>> {
  return listReproductions(await getDb(), resultId, page);
}

/** GET /api/reproductions/<id>: one reproduction with its comparison. */
export async function loadReproduction(id: string): Promise<ReproductionDetail | null> {
  return getReproduction(await getDb(), id);
}

/** GET /api/keys/<id>: a key row (the route shows its public part). */
export async function loadKey(keyId: string): Promise<KeyRow | null> {
  return getKey(await getDb(), keyId);
}

/** GET /api/admin/keys: key rows with contact details (the route checks the admin token first). */
export async function loadKeys(status: KeyStatus | null): Promise<KeyRow[]> {
  return listKeys(await getDb(), status ? { status } : {});
}

/** GET /api/admin/keys: for each pending key, the identity approving it would join by default (or none). */
export async function loadIdentityMatches(pending: KeyRow[]): Promise<Map<string, IdentityMatch | null>> {
  const db = await getDb();
  return new Map(await Promise.all(pending.map(async (k) => [k.keyId, await identityMatchFor(db, k)] as const)));
}

/** GET /api/results/<id>: the independent identities whose reproductions count, by verdict. */
export async function loadReproducingIdentities(resultId: string): Promise<ReproducingIdentities> {
  return (await getReproducingIdentities(await getDb(), [resultId])).get(resultId)!;
}
