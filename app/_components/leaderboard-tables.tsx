/**
 * Server-rendered leaderboard pieces (no client JS): per-cell ranks with paired differences, the
 * overall Friedman rank and its critical-difference diagram, the paper's claims.
 */
import type React from 'react';
import type { CellRanking, Claim, OverallRanking, ClaimVerdict } from '../../contract';
import { strategyColor, variantLabel } from '../_lib/ranking';
import { num, pct, pp } from './format';
import { shortId } from '../../contract/ids';

function StrategyName({ id, title, inPaper, compact = false }: { id: string; title: string; inPaper: boolean; compact?: boolean }) {
  return (
    <>
      <span className="swatch" style={{ background: strategyColor(id) }} aria-hidden />
      <strong title={title}>{id}</strong>
      {!compact && <> <span className="muted small">{title}</span></>}
      {!inPaper && (
        <>
          {' '}
          <span className="badge" title="Not in Ren et al. (ICLR 2023); added by HeadPrep">
            not in paper
          </span>
        </>
      )}
    </>
  );
}

const signedPp = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;
const pValue = (p: number | null) => (p === null ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3));

/** Optional columns of the ranking tables: the column chooser (CSS only, globals.css) shows or hides them. */
export const OPTIONAL_COLUMNS = [
  { key: 'ood', label: 'OOD test acc', on: true },
  { key: 'aie', label: 'Energy (AIE)', on: true },
  { key: 'l2', label: 'Feature L2 distance', on: true },
  { key: 'val', label: 'Best validation acc', on: false },
  { key: 'lp', label: 'Probe-only test acc', on: false },
  { key: 'cos', label: 'Feature cosine distance', on: false },
  { key: 'cfg', label: 'Config fingerprint', on: false },
] as const;

/** The chooser for every ranking table inside the same `.rank-block`. */
export function ColumnChooser() {
  return (
    <details className="col-chooser" data-testid="column-chooser">
      <summary>Columns</summary>
      <div className="col-chooser-list">
        {OPTIONAL_COLUMNS.map((c) => (
          <label key={c.key}>
            <input type="checkbox" data-col={c.key} defaultChecked={c.on} /> {c.label}
          </label>
        ))}
      </div>
    </details>
  );
}

/** A sortable header: the button works once app/_components/table-sort.tsx has loaded (the table starts in rank order). */
function SortTh({ children, num: isNum = true, className, title }: { children: React.ReactNode; num?: boolean; className?: string; title?: string }) {
  return (
    <th className={[isNum ? 'num' : '', className ?? ''].join(' ').trim() || undefined} title={title} aria-sort="none">
      <button type="button" className="sort" data-sort>
        {children}
      </button>
    </th>
  );
}

const sortValue = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '' : String(x));

/** The header row of a cell table: sortable columns, the optional ones only when some row has them. */
function CellTableHead({ hasOod, hasLp }: { hasOod: boolean; hasLp: boolean }) {
  return (
    <tr>
      <SortTh num={false} className="col-first">
        Rank, strategy
      </SortTh>
      <SortTh title="Head-probing epochs of the variant; * = tau* chosen on validation">tau</SortTh>
      <SortTh title="Test accuracy at the best-validation epoch, mean over seeds, with the half width of its 95% interval">
        Test acc, mean % (± 95% CI, pp)
      </SortTh>
      <SortTh title="Seeds of this variant">Seeds (n)</SortTh>
      <SortTh title="Paired difference to the leader, percentage points, with its simultaneous 95% interval">Δ vs leader, pp (simult. 95% CI)</SortTh>
      <SortTh title="Within-seed permutation max-T adjusted p">p (max-T adj.)</SortTh>
      <SortTh title="Seeds where this strategy beat the leader, of the seeds both ran">Won (of n seeds)</SortTh>
      {hasOod && (
        <SortTh className="col-ood" title="Test accuracy on the out-of-distribution split, mean over seeds">
          OOD test acc, mean %
        </SortTh>
      )}
      <SortTh className="col-aie" title="Average initial energy: how wrong the head is when finetuning starts (unitless, 0 = fits)">
        Energy AIE (unitless)
      </SortTh>
      <SortTh className="col-l2" title="Feature L2 distance from the start of finetuning to its end, mean over seeds">
        Feature L2 dist
      </SortTh>
      <SortTh className="col-val" title="Best validation accuracy, mean over seeds">
        Best val acc, mean %
      </SortTh>
      {hasLp && (
        <SortTh className="col-lp" title="Test accuracy of the prepared head on frozen features, before finetuning">
          Probe-only test acc, %
        </SortTh>
      )}
      <SortTh className="col-cos" title="Feature cosine distance from the start of finetuning to its end, mean over seeds">
        Feature cos dist
      </SortTh>
      <th className="col-cfg">Config</th>
      <th>Compare</th>
    </tr>
  );
}

/** The first column of a cell-table row: rank, strategy, variant and its badges. */
function StrategyCell({ r, pending }: { r: CellRanking['rows'][number]; pending: boolean }) {
  const note = variantLabel(r);
  return (
    <td className="col-first" data-label="Strategy" data-v={r.rank}>
      <span className="rank">{r.rank}</span> <StrategyName id={r.strategy} title={r.title} inPaper={r.in_paper} compact />
      {note && <span className="muted small"> {note}</span>}
      {r.vs_leader && r.ties_leader && (
        <span className="badge" title="Not significantly worse than the leader (max-T adjusted p ≥ 0.05)">
          {' '}
          ties leader
        </span>
      )}
      {pending && r.n_pending > 0 && <span className="badge warn"> {r.n_pending} pending</span>}
      {r.n_reproduced > 0 && (
        <span className="badge ok" title="Seeds whose result an independent approved key reproduced (headprep reproduce)">
          {' '}
          {r.n_reproduced}/{r.n} reproduced
        </span>
      )}
      {r.n_disputed > 0 && (
        <span className="badge bad" title="Seeds whose result an independent identity found to differ on rerun: still ranked until a second identity or a maintainer confirms">
          {' '}
          {r.n_disputed}/{r.n} disputed
        </span>
      )}
    </td>
  );
}

export function CellTable({ cell, pending, suite }: { cell: CellRanking; pending: boolean; suite: string }) {
  const hasOod = cell.rows.some((r) => r.ood_test_acc_mean !== null);
  const hasLp = cell.rows.some((r) => r.lp_test_acc_mean !== null);
  const leader = cell.rows[0]?.strategy;
  const compareHref = (a: string, b: string) =>
    `/compare?${new URLSearchParams({ suite, backbone: cell.backbone, dataset: cell.dataset, a, b }).toString()}`;
  return (
    <div className="table-wrap sticky-wrap">
      <table className="rank-table cards-sm" data-sortable data-testid={`cell-table-${cell.backbone}-${cell.dataset}`}>
        <caption className="muted small">
          Rank follows the mean. Δ = paired difference to the leader (mean of per-seed differences, percentage points)
          with its simultaneous 95% interval; p is adjusted by a within-seed permutation max-T test over every pair of
          strategies ({cell.test.permutations} permutations, critical |t| ={' '}
          {cell.test.critical_t === null ? 'n/a' : cell.test.critical_t === Infinity ? '∞' : cell.test.critical_t.toFixed(2)}), so the
          chance of calling any strategy worse than the leader when all are equal is at most 5%, the choice of the
          leader included. Shaded rows tie the leader: not significantly worse (p ≥ 0.05; the interval holds 0). Click a
          header to sort.
          {cell.test.min_p >= cell.test.alpha &&
            ` With ${cell.test.complete_seeds} complete seed(s) the smallest attainable p is ${cell.test.min_p.toPrecision(2)}: no difference can be declared.`}
        </caption>
        <thead>
          <CellTableHead hasOod={hasOod} hasLp={hasLp} />
        </thead>
        <tbody>
          {cell.rows.map((r) => {
            const d = r.vs_leader;
            const other = r.strategy === leader ? cell.rows[1]?.strategy : leader;
            return (
              <tr key={r.strategy} className={r.ties_leader ? 'tie-leader' : undefined} data-strategy={r.strategy} data-ties-leader={r.ties_leader ? 'true' : 'false'}>
                <StrategyCell r={r} pending={pending} />
                <td className="num" data-label="tau" data-v={r.tau} title={r.variants > 1 ? `chosen on mean validation accuracy among ${r.variants} taus` : undefined}>
                  {r.tau}
                  {r.variants > 1 ? '*' : ''}
                </td>
                <td className="num" data-label="Test acc (± 95% CI)" data-v={sortValue(r.mean)}>
                  {pct(r.mean)}
                  <span className="sub">{r.n >= 2 ? pp(r.half_width) : 'n/a (1 seed)'}</span>
                </td>
                <td className="num" data-label="Seeds" data-v={r.n}>
                  {r.n}
                </td>
                <td className="num" data-label="Δ vs leader, pp" data-v={d ? sortValue(d.mean) : '0'}>
                  {d ? <span data-testid="paired-diff">{signedPp(d.mean)}</span> : <span className="muted" data-testid="paired-diff">leader</span>}
                  {d && <span className="sub">{d.lo_adj !== null ? `[${signedPp(d.lo_adj)}, ${signedPp(d.hi_adj)}]` : 'n/a'}</span>}
                </td>
                <td className="num" data-label="p (max-T)" data-v={d ? sortValue(d.p_adj) : ''}>
                  {d ? pValue(d.p_adj) : ''}
                </td>
                <td className="num" data-label="Won vs leader" data-v={d ? d.wins : ''}>
                  {d ? `${d.wins}/${d.n}` : ''}
                </td>
                {hasOod && (
                  <MetricCell col="col-ood" label="OOD test acc" value={r.ood_test_acc_mean} show={pct} />
                )}
                <MetricCell col="col-aie" label="Energy AIE" value={r.aie_mean} show={num} />
                <MetricCell col="col-l2" label="Feature L2 dist" value={r.feat_l2_dist_mean} show={num} />
                <MetricCell col="col-val" label="Best val acc" value={r.best_val_acc_mean} show={pct} />
                {hasLp && (
                  <MetricCell col="col-lp" label="Probe-only test acc" value={r.lp_test_acc_mean} show={pct} />
                )}
                <MetricCell col="col-cos" label="Feature cos dist" value={r.feat_cos_dist_mean} show={num} />
                <td className="col-cfg" data-label="Config">
                  <a href={`/api/configs/${r.fingerprint}`} title={`fingerprint ${r.fingerprint}`} className="mono nowrap">
                    {shortId(r.fingerprint)}
                  </a>
                </td>
                <td data-label="Compare">
                  {other && (
                    <a href={compareHref(r.strategy === leader ? r.strategy : other, r.strategy === leader ? other : r.strategy)} className="nowrap" data-testid="compare-link">
                      vs {other}
                    </a>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function OverallTable({ overall }: { overall: OverallRanking }) {
  return (
    <div className="table-wrap">
      <table data-testid="overall-table">
        <caption className="muted small" style={{ textAlign: 'left', captionSide: 'bottom', paddingTop: '0.3rem' }}>
          {overall.chi2 !== null
            ? `Friedman χ²_F = ${overall.chi2.toFixed(2)}, Iman–Davenport F = ${overall.f === Infinity ? '∞' : overall.f!.toFixed(2)}, p ${overall.p !== null && overall.p < 0.001 ? '< 0.001' : `= ${pValue(overall.p)}`} over ${overall.blocks} (cell, seed) blocks; Nemenyi critical difference CD = ${overall.cd!.toFixed(2)}.`
            : 'Too few blocks for the Friedman test (needs 2 or more (cell, seed) blocks in which every strategy ran).'}
          {overall.excluded.length > 0 && ` Left out (missing in some cell): ${overall.excluded.join(', ')}.`}
        </caption>
        <thead>
          <tr>
            <th>Rank</th>
            <th>Strategy</th>
            <th className="num">Average rank</th>
          </tr>
        </thead>
        <tbody>
          {overall.rows.map((r) => (
            <tr key={r.strategy}>
              <td className="rank">{r.rank}</td>
              <td>
                <StrategyName id={r.strategy} title={r.title} inPaper={r.in_paper} />
              </td>
              <td className="num">{r.mean_rank.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The critical-difference diagram (Demsar 2006): strategies on an axis of average rank (1 = best,
 * left), and a bar joining every group whose ranks differ by less than the Nemenyi CD. Plain SVG.
 */
export function CdDiagram({ overall }: { overall: OverallRanking }) {
  const { rows, cd, cliques } = overall;
  if (rows.length < 2 || cd === null) return null;
  const k = overall.k;
  const w = 760;
  const left = 170;
  const right = 170;
  const axisY = 50;
  const x = (r: number) => left + ((r - 1) / (k - 1)) * (w - left - right);
  const half = Math.ceil(rows.length / 2);
  const lineGap = 22;
  const barTop = axisY + 14;
  const labelsTop = barTop + cliques.length * 9 + 16;
  const h = labelsTop + half * lineGap + 10;
  return (
    <figure className="chart" data-testid="cd-diagram">
      <figcaption>
        Critical-difference diagram: average rank over {overall.blocks} (cell, seed) blocks (1 = best). Strategies joined by a
        bar are not significantly different (Nemenyi, α = 0.05, CD = {cd.toFixed(2)}).
      </figcaption>
      <div className="scroll-x">
      <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} className="cd-svg" role="img" aria-label="Critical-difference diagram">
        <line x1={x(1)} x2={x(k)} y1={axisY} y2={axisY} stroke="currentColor" />
        {Array.from({ length: k }, (_, i) => i + 1).map((r) => (
          <g key={r}>
            <line x1={x(r)} x2={x(r)} y1={axisY - 5} y2={axisY} stroke="currentColor" />
            <text x={x(r)} y={axisY - 9} textAnchor="middle" fontSize="12" fill="currentColor">
              {r}
            </text>
          </g>
        ))}
        <line x1={x(1)} x2={x(1 + Math.min(cd, k - 1))} y1={14} y2={14} stroke="currentColor" strokeWidth={2} />
        <text x={x(1 + Math.min(cd, k - 1)) + 6} y={18} fontSize="12" fill="currentColor">
          CD = {cd.toFixed(2)}
        </text>
        {cliques.map((c, i) => {
          const ranks = c.map((s) => rows.find((r) => r.strategy === s)!.mean_rank);
          return (
            <line
              key={c.join()}
              x1={x(Math.min(...ranks)) - 3}
              x2={x(Math.max(...ranks)) + 3}
              y1={barTop + i * 9}
              y2={barTop + i * 9}
              stroke="currentColor"
              strokeWidth={4}
              strokeLinecap="round"
            >
              <title>{`not significantly different: ${c.join(', ')}`}</title>
            </line>
          );
        })}
        {rows.map((r, i) => {
          const onLeft = i < half;
          const ly = labelsTop + (onLeft ? i : rows.length - 1 - i) * lineGap;
          const lx = onLeft ? left - 10 : w - right + 10;
          return (
            <g key={r.strategy}>
              <polyline points={`${x(r.mean_rank)},${axisY} ${x(r.mean_rank)},${ly} ${onLeft ? lx + 4 : lx - 4},${ly}`} fill="none" stroke={strategyColor(r.strategy)} strokeWidth={1.5} />
              <text x={lx} y={ly + 4} textAnchor={onLeft ? 'end' : 'start'} fontSize="13" fill="currentColor">
                {onLeft ? `${r.strategy} (${r.mean_rank.toFixed(2)})` : `(${r.mean_rank.toFixed(2)}) ${r.strategy}`}
              </text>
            </g>
          );
        })}
      </svg>
      </div>
    </figure>
  );
}

const VERDICT_CLASS: Record<ClaimVerdict, string> = {
  holds: 'verdict ok',
  'not significant': 'verdict neutral',
  contradicted: 'verdict bad',
  'no data': 'verdict neutral',
};

/** The suite version's pre-registered claims with the verdict the data gives, whatever it is, and what the test can detect. */
export function ClaimsPanel({ claims }: { claims: Claim[] }) {
  if (!claims.length) return null;
  return (
    <div className="claims" data-testid="claims-panel">
      {claims.map((c) => (
        <div key={c.id} id={`claim-${c.id}`} className="card claim" data-claim={c.id} data-verdict={c.verdict} data-kind={c.kind}>
          <p style={{ margin: 0 }}>
            <strong>{c.label}</strong> <span className={VERDICT_CLASS[c.verdict]}>{c.verdict}</span>
            {c.kind === 'manipulation check' && (
              <>
                {' '}
                <span className="badge" title="Holds by construction when the pipeline works: a check, not a finding">
                  manipulation check
                </span>
              </>
            )}{' '}
            {c.statement}
          </p>
          <p className="muted small" style={{ margin: '0.3rem 0 0' }}>
            {c.summary}
          </p>
          <p className="muted small" style={{ margin: '0.2rem 0 0' }} data-testid="claim-power">
            Power: {c.power}
          </p>
        </div>
      ))}
    </div>
  );
}

/** A numeric ranking-table cell: its column class (the column chooser), its card label and its sort value. */
function MetricCell({ col, label, value, show }: { col: string; label: string; value: number | null; show: (v: number | null) => string }) {
  return (
    <td className={`num ${col}`} data-label={label} data-v={sortValue(value)}>
      {show(value)}
    </td>
  );
}
