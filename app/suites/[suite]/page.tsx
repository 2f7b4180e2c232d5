import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { filtersToQuery, parseFilters, parseSuiteSegment } from '../../_lib/leaderboard-view';
import { loadSuitePage } from '../../_server/read-model';
import { AutoSubmit } from '../../_components/auto-submit';
import { EnergyChart } from '../../_components/energy-chart';
import { FeatureCharts } from '../../_components/feature-charts';
import { CdDiagram, CellTable, ClaimsPanel, ColumnChooser, OverallTable } from '../../_components/leaderboard-tables';
import { SuiteGridPreview } from '../../_components/suite-grid-preview';
import { ReferenceConfigCard } from '../../_components/reference-config-card';
import { publishedSuite, RANKING_RULE, suiteSlug } from '../../../contract';
import { SuiteNeeds } from '../../_components/suite-needs';
import { StaleViewNote } from '../../_components/stale-view-note';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ suite: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { suite } = await params;
  const ref = parseSuiteSegment(suite);
  return { title: `${ref ? `${ref.name}${ref.version ? `@${ref.version}` : ''}` : 'Suite'} leaderboard — HeadPrep` };
}

export default async function SuitePage({ params, searchParams }: Props) {
  const [{ suite }, sp] = await Promise.all([params, searchParams]);
  const ref = parseSuiteSegment(suite);
  if (!ref) notFound();
  const filters = parseFilters(sp);
  const { view, freshness, origin } = await loadSuitePage(ref, filters);
  if (!view) notFound();
  const slug = suiteSlug(view.suite);
  const base = `/suites/${slug}`;
  const query = filtersToQuery(filters);
  const exportQuery = `suite=${encodeURIComponent(slug)}${query ? `&${query}` : ''}`;
  return (
    <>
      <p className="muted small" style={{ margin: 0 }}>
        <a href="/">Suites</a> / {view.suite.name}
      </p>
      <h1>
        {view.suite.name}@{view.suite.version} leaderboard
      </h1>
      {view.suite.description && <p>{view.suite.description}</p>}
      <SuiteNeeds suite={view.suite.name} />
      <StaleViewNote freshness={freshness} />
      <VersionNav view={view} />

      <FiltersForm view={view} filters={filters} base={base} query={query} />
      <ViewTotals view={view} filters={filters} exportQuery={exportQuery} />

      <Rankings view={view} filters={filters} slug={slug} />

      <ChartsSection view={view} />

      <ReferenceConfigs view={view} origin={origin} />
    </>
  );
}

type View = NonNullable<Awaited<ReturnType<typeof loadSuitePage>>['view']>;
type Filters = ReturnType<typeof parseFilters>;

function VersionNav({ view }: { view: View }) {
  return (
    <>
      <nav className="toolbar" aria-label="Suite versions">
        <span className="muted">Version:</span>
        {view.versions.map((v) =>
          v === view.suite.version ? (
            <strong key={v} aria-current="page">
              @{v}
            </strong>
          ) : (
            <a key={v} href={`/suites/${view.suite.name}@${v}`}>
              @{v}
            </a>
          ),
        )}
        <span className="muted small">Versions are never mixed: a change that can move a score bumps the version.</span>
      </nav>
    </>
  );
}

/** A filter's select: "all" or one of the distinct `options`. */
function FilterSelect({ name, label, all, value, options }: { name: string; label: string; all: string; value: string | null; options: string[] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? 'all'}>
        <option value="all">{all}</option>
        {[...new Set(options)].map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function FiltersForm({ view, filters, base, query }: { view: View; filters: Filters; base: string; query: string }) {
  const checked = (s: string) => filters.strategies === null || filters.strategies.includes(s);
  return (
    <>
      <form className="filters" method="get" action={base} aria-label="Leaderboard filters">
        <AutoSubmit />
        <FilterSelect name="backbone" label="Backbone" all="all backbones" value={filters.backbone} options={view.options.pairs.map((p) => p.backbone)} />
        <FilterSelect name="dataset" label="Dataset" all="all datasets" value={filters.dataset} options={view.options.pairs.map((p) => p.dataset)} />
        {view.options.strategies.length > 0 && (
          <fieldset>
            <legend>Strategies</legend>
            {view.options.strategies.map((s) => (
              <label key={s}>
                <input type="checkbox" name="strategy" value={s} defaultChecked={checked(s)} /> {s}
              </label>
            ))}
          </fieldset>
        )}
        <label style={{ flexDirection: 'row', alignItems: 'center', gap: '0.3rem', color: 'var(--fg)' }}>
          <input type="checkbox" name="pending" value="1" defaultChecked={filters.pending} /> include pending keys
        </label>
        <label style={{ flexDirection: 'row', alignItems: 'center', gap: '0.3rem', color: 'var(--fg)' }}>
          <input type="checkbox" name="reproduced" value="1" defaultChecked={filters.reproduced} /> reproduced results only
        </label>
        <button type="submit">Apply</button>
        {query && (
          <a href={base} className="small">
            Reset
          </a>
        )}
      </form>
    </>
  );
}

function ViewTotals({ view, filters, exportQuery }: { view: View; filters: Filters; exportQuery: string }) {
  return (
    <>
      <div className="toolbar">
        <span className="muted">
          {view.totals.results} stored result{view.totals.results === 1 ? '' : 's'} · {view.totals.seeds_ranked} seed
          {view.totals.seeds_ranked === 1 ? '' : 's'} ranked
          {view.cells.length > 1 ? ` (over ${view.cells.length} cells)` : ''} · {view.totals.ranked_results} ranked result
          {view.totals.ranked_results === 1 ? '' : 's'} in this view
          {view.totals.reproductions > 0 && ` · ${view.totals.reproductions} reproductions (reruns of a ranked fingerprint and seed; never counted as seeds)`}
        </span>
        <a href={`/api/leaderboard?${exportQuery}&format=csv`} download>
          Download CSV
        </a>
        <a href={`/api/leaderboard?${exportQuery}&format=json`}>JSON</a>
      </div>
      {filters.reproduced && (
        <p className="notice" role="status">
          Only results that an independent approved key reproduced (<code>headprep reproduce</code>) are ranked in this view.
        </p>
      )}
      {filters.pending && (
        <p className="notice" role="status">
          This view includes results from keys a maintainer has not approved yet. It is not the official ranking.
        </p>
      )}
    </>
  );
}

function Rankings({ view, filters, slug }: { view: View; filters: Filters; slug: string }) {
  const published = publishedSuite(slug);
  return (
    <>
      {view.cells.length === 0 ? (
        <>
          <p className="muted" data-testid="empty-leaderboard">
            No ranked results for these filters yet. <a href="/submit">Run the suite and submit</a>.
          </p>
          {published && <SuiteGridPreview suite={published} />}
        </>
      ) : (
        <>
          <h2>Per cell</h2>
          <p className="explain" data-testid="ranking-rule">
            {RANKING_RULE} Δ is the difference to the leader; a strategy that ties it is shaded and marked &ldquo;ties
            leader&rdquo;, and hp-tau&rsquo;s tau* is marked *. <strong>Energy (AIE)</strong> is how wrong the prepared
            head is when finetuning starts: the mean of ||e_y − p(x)|| over the training set (0 = already fits; √(1 − 1/K) =
            uniform guess), not joules. <a href="https://arxiv.org/abs/2302.05779">Ren et al., ICLR 2023</a>.
          </p>
          <div className="rank-block">
            <ColumnChooser />
            {view.cells.map((c) => (
              <section key={`${c.backbone}/${c.dataset}`} aria-label={`${c.backbone} on ${c.dataset}`}>
                <h3>
                  {c.backbone} × {c.dataset}
                </h3>
                <CellTable cell={c} pending={filters.pending} suite={slug} />
              </section>
            ))}
          </div>

          {view.claims.length > 0 && view.focus && (
            <>
              <h2>
                Pre-registered claims on {view.focus.backbone} × {view.focus.dataset}
              </h2>
              <p className="explain">
                Fixed per suite version before any result (which strategies and taus each claim compares) and computed on
                the whole sweep of the cell: the strategy filter above does not change them. Each gets the verdict the
                data gives — holds, not significant, contradicted, or no data — and a power note: what its test can
                detect with the seeds it has. (i) and (iv) hold by construction when the pipeline works: manipulation
                checks, not findings. Correlations are Spearman&rsquo;s rho over each seed&rsquo;s tau sweep with an exact
                sign test across seeds (it cannot reach p &lt; 0.05 with 5 seeds or fewer); comparisons are paired
                t-tests over seeds, Holm-corrected within the claim.
              </p>
              <ClaimsPanel claims={view.claims} />
            </>
          )}

          <h2>Overall rank</h2>
          <p className="explain">
            Average rank of each strategy over blocks, one block per (cell, seed) in which every shown strategy ran (rank
            1 = best test accuracy in that block; ties share the average rank). The Friedman test asks whether the
            strategies differ at all; the Nemenyi critical difference says which average ranks are far enough apart
            (Demšar, JMLR 2006). Computed over the strategies and cells shown.
          </p>
          <OverallTable overall={view.overall} />
          <CdDiagram overall={view.overall} />

        </>
      )}
    </>
  );
}

function ChartsSection({ view }: { view: View }) {
  return (
    <>
      {view.focus && view.chart && (
        <>
          <h2>
            Energy and feature change: {view.focus.backbone} × {view.focus.dataset}
          </h2>
          {view.options.pairs.length > 1 && (
            <p className="explain">
              Charts show one cell; pick it with the backbone and dataset filters above.
            </p>
          )}
          <EnergyChart data={view.chart} />
          <h3>Feature change at the end of finetuning vs energy</h3>
          <p className="explain">
            The paper&rsquo;s trend: as the initial energy rises, the L2 and cosine distances of the features from their
            starting point rise; the dot product and norm first rise, then fall.
          </p>
          <FeatureCharts data={view.chart} />
        </>
      )}
    </>
  );
}

function ReferenceConfigs({ view, origin }: { view: View; origin: string }) {
  return (
    <>
      {view.references.length > 0 && (
        <>
          <h2>Reference configs</h2>
          <p className="explain">
            The best strategy of each cell as a complete config that <code>headprep run</code> accepts directly, with the
            95% confidence interval of its mean and the 95% prediction interval for a single rerun.
          </p>
          <div className="cards">
            {view.references.map((r) => (
              <ReferenceConfigCard key={r.id} config={r} origin={origin} />
            ))}
          </div>
        </>
      )}
    </>
  );
}
