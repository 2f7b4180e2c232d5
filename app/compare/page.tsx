import type { Metadata } from 'next';
import { parseFilters, parseSuiteSegment } from '../_lib/leaderboard-view';
import { compareStrategies } from '../_lib/compare-view';
import { loadLeaderboardView, loadSuiteIndex } from '../_server/read-model';
import { EnergyChart } from '../_components/energy-chart';
import { FeatureCharts } from '../_components/feature-charts';
import { DataTable } from '../_components/data-table';
import { num, pct } from '../_components/format';
import { strategyColor, variantLabel } from '../_lib/ranking';
import { suiteSlug } from '../../contract';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Compare two strategies — HeadPrep' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const signedPp = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`);

/** /compare?suite=&a=&b=[&backbone=&dataset=]: two strategies of one cell, paired by seed. */
export default async function ComparePage({ searchParams }: Props) {
  const sp = await searchParams;
  const suiteParam = one(sp.suite);
  const ref = suiteParam ? parseSuiteSegment(suiteParam) : null;
  if (!ref) return <SuitePicker index={await loadSuiteIndex()} />;
  const filters = { ...parseFilters({ backbone: one(sp.backbone), dataset: one(sp.dataset) }), strategies: null, pending: false, reproduced: false };
  const view = await loadLeaderboardView(ref, filters);
  const cell = view?.cells.find((c) => view.focus && c.backbone === view.focus.backbone && c.dataset === view.focus.dataset) ?? view?.cells[0];
  if (!view || !cell) {
    return (
      <>
        <h1>Compare two strategies</h1>
        <p className="notice" role="alert" data-testid="compare-empty">
          {view ? `${suiteSlug(view.suite)} has no ranked results in this cell yet.` : `No suite ${suiteParam}.`} <a href="/compare">Pick another suite</a>.
        </p>
      </>
    );
  }
  const slug = suiteSlug(view.suite);
  const ids = cell.rows.map((r) => r.strategy);
  const a = ids.includes(one(sp.a)) ? one(sp.a) : ids[0]!;
  const b = ids.includes(one(sp.b)) && one(sp.b) !== a ? one(sp.b) : (ids.find((s) => s !== a) ?? a);
  const cmp = compareStrategies(cell, view.chart, a, b);
  const badParam = (one(sp.a) && one(sp.a) !== a) || (one(sp.b) && one(sp.b) !== b);
  return (
    <>
      <p className="muted small" style={{ margin: 0 }}>
        <a href="/">Suites</a> / <a href={`/suites/${slug}`}>{slug}</a> / compare
      </p>
      <h1>
        {a} vs {b}
      </h1>
      <p className="muted">
        {slug} · {cell.backbone} × {cell.dataset}
      </p>
      {badParam && (
        <p className="notice" role="status">
          A requested strategy has no ranked results in this cell; showing {a} vs {b}. Strategies here: {ids.join(', ')}.
        </p>
      )}
      <form className="filters" method="get" action="/compare" aria-label="Choose strategies">
        <input type="hidden" name="suite" value={slug} />
        <input type="hidden" name="backbone" value={cell.backbone} />
        <input type="hidden" name="dataset" value={cell.dataset} />
        <StrategySelect label="Strategy A" name="a" value={a} ids={ids} />
        <StrategySelect label="Strategy B" name="b" value={b} ids={ids} />
        <button type="submit">Compare</button>
      </form>

      <h2>Verdict</h2>
      <p className={`verdict-line ${cmp.verdict.kind}`} data-testid="compare-verdict" data-verdict={cmp.verdict.kind}>
        <strong>{cmp.verdict.text}</strong>
      </p>
      <p className="explain">
        The decision is the leaderboard&rsquo;s: a within-seed permutation max-T test over every pair of strategies of the cell
        ({cell.test.permutations} permutations), so it controls the chance of any false call in the cell at 5%. The
        paired t-test below is for reference, unadjusted.
        {cell.test.min_p >= cell.test.alpha &&
          ` With ${cell.test.complete_seeds} complete seed(s) the smallest p the permutation test can give is ${cell.test.min_p.toPrecision(2)}: no difference in this cell can be declared yet, however large.`}
      </p>

      <StrategyCards cmp={cmp} />

      <PerSeedTable cmp={cmp} a={a} b={b} />

      {cmp.chart && (
        <>
          <h2>Energy and feature change</h2>
          <p className="explain">The seeds of the two variants ({cmp.chart.points.length} points).</p>
          <EnergyChart data={cmp.chart} />
          <FeatureCharts data={cmp.chart} table={false} />
        </>
      )}
    </>
  );
}

/** One of the two strategy pickers of the compare form. */
function StrategySelect({ label, name, value, ids }: { label: string; name: 'a' | 'b'; value: string; ids: readonly string[] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        {ids.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

type Comparison = ReturnType<typeof compareStrategies>;

function SuitePicker({ index }: { index: Awaited<ReturnType<typeof loadSuiteIndex>> }) {
  return (
    <>
      <h1>Compare two strategies</h1>
      <p className="explain">
        Pick a suite: the comparison pairs two strategies of one cell seed by seed (every strategy of a seed shares the
        head init, the split and the data order). Each row of a leaderboard links here too.
      </p>
      <ul data-testid="compare-suites">
        {index
          .filter((s) => s.ranked > 0)
          .map((s) => (
            <li key={suiteSlug(s)}>
              <a href={`/compare?suite=${encodeURIComponent(suiteSlug(s))}`}>{suiteSlug(s)}</a>
            </li>
          ))}
      </ul>
    </>
  );
}

function StrategyCards({ cmp }: { cmp: Comparison }) {
  return (
    <>
      <div className="cards">
        {[cmp.rowA, cmp.rowB].map((r) => (
          <div className="card" key={r.strategy} data-testid={`compare-card-${r.strategy}`}>
            <h3>
              <span className="swatch" style={{ background: strategyColor(r.strategy) }} aria-hidden />
              {r.strategy} <span className="muted small">rank {r.rank}</span>
            </h3>
            <dl className="kv small">
              <dt>Variant</dt>
              <dd>{[`tau ${r.tau}`, variantLabel(r)].filter(Boolean).join(', ')}</dd>
              <dt>Test acc</dt>
              <dd>
                {pct(r.mean)} <span className="muted">(95% CI {pct(r.lo)} to {pct(r.hi)}, {r.n} seeds)</span>
              </dd>
              {r.ood_test_acc_mean !== null && (
                <>
                  <dt>OOD test acc</dt>
                  <dd>{pct(r.ood_test_acc_mean)}</dd>
                </>
              )}
              <dt>Energy AIE</dt>
              <dd>{num(r.aie_mean)}</dd>
              <dt>Feature L2 / cos dist</dt>
              <dd>
                {num(r.feat_l2_dist_mean)} / {num(r.feat_cos_dist_mean)}
              </dd>
            </dl>
          </div>
        ))}
      </div>
    </>
  );
}

function PerSeedTable({ cmp, a, b }: { cmp: Comparison; a: string; b: string }) {
  const sorted = ['Seed', `${a} test acc, %`, `${b} test acc, %`, `${a} − ${b}, pp`].map((label) => ({ label, num: true, sort: true }));
  return (
    <>
      <h2>Per seed: test accuracy, {a} − {b}</h2>
      <p className="explain">
        {cmp.paired.n} common seeds: mean difference {signedPp(cmp.paired.mean)} pp
        {cmp.paired.lo !== null ? `, unadjusted 95% CI [${signedPp(cmp.paired.lo)}, ${signedPp(cmp.paired.hi)}] pp, paired t-test p = ${cmp.paired.p! < 0.001 ? '< 0.001' : cmp.paired.p!.toFixed(3)}` : ''}; {a} won {cmp.paired.wins}, lost {cmp.paired.losses}, drew {cmp.paired.draws}.
      </p>
      <DataTable className="cards-sm" sortable testId="compare-seeds" columns={[...sorted, { label: 'Difference', className: 'diff-bar-col' }]}>
        {cmp.seeds.map((s) => (
          <tr key={s.seed}>
            <td className="num" data-label="Seed" data-v={s.seed}>
              {s.seed}
            </td>
            <td className="num" data-label={`${a} test acc`} data-v={s.a}>
              {pct(s.a)}
            </td>
            <td className="num" data-label={`${b} test acc`} data-v={s.b}>
              {pct(s.b)}
            </td>
            <td className="num" data-label={`${a} − ${b}`} data-v={s.diff}>
              {signedPp(s.diff)}
            </td>
            <td className="diff-bar-col" data-label="">
              <span className="diff-bar" aria-hidden>
                <span
                  className={s.diff >= 0 ? 'pos' : 'neg'}
                  style={{ width: `${(50 * Math.abs(s.diff)) / cmp.maxAbsDiff}%`, [s.diff >= 0 ? 'left' : 'right']: '50%' }}
                />
              </span>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
