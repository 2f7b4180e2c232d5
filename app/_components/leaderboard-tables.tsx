/** Server-rendered leaderboard tables (no client JS): per-cell ranks, the overall rank, reference configs. */
import type { ReferenceConfigSummary } from '../_lib/dto';
import type { CellRanking, OverallRow } from '../_lib/ranking';
import { strategyColor } from '../_lib/ranking';
import { num, pct, pp, shortId } from './format';

function StrategyName({ id, title, inPaper }: { id: string; title: string; inPaper: boolean }) {
  return (
    <>
      <span className="swatch" style={{ background: strategyColor(id) }} aria-hidden />
      <strong>{id}</strong> <span className="muted small">{title}</span>
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

export function CellTable({ cell, pending }: { cell: CellRanking; pending: boolean }) {
  const leaderGroup = cell.rows[0]?.group;
  return (
    <div className="table-wrap">
      <table data-testid={`cell-table-${cell.backbone}-${cell.dataset}`}>
        <caption className="muted small" style={{ textAlign: 'left', captionSide: 'bottom', paddingTop: '0.3rem' }}>
          Shaded rows share rank 1 with the leader: their 95% intervals overlap the leader&rsquo;s.
        </caption>
        <thead>
          <tr>
            <th>Rank</th>
            <th>Strategy</th>
            <th className="num">tau</th>
            <th className="num">Test acc (mean)</th>
            <th className="num">95% CI</th>
            <th className="num">Seeds</th>
            <th className="num">Val acc</th>
            <th className="num">AIE</th>
            <th className="num">L2 dist</th>
            <th>Config</th>
          </tr>
        </thead>
        <tbody>
          {cell.rows.map((r) => {
            const tied = cell.rows.some((o) => o !== r && o.rank === r.rank);
            return (
              <tr key={r.strategy} className={r.group === leaderGroup ? 'tie-leader' : undefined} data-strategy={r.strategy}>
                <td className="rank">
                  {tied ? '=' : ''}
                  {r.rank}
                </td>
                <td>
                  <StrategyName id={r.strategy} title={r.title} inPaper={r.in_paper} />
                  {pending && r.n_pending > 0 && <span className="badge warn"> {r.n_pending} pending</span>}
                </td>
                <td className="num" title={r.variants > 1 ? `chosen on validation accuracy among ${r.variants} variants` : undefined}>
                  {r.tau}
                  {r.variants > 1 ? '*' : ''}
                </td>
                <td className="num">{pct(r.mean)}</td>
                <td className="num">{r.n >= 2 ? pp(r.half_width) : <span className="muted">n/a (1 seed)</span>}</td>
                <td className="num">{r.n}</td>
                <td className="num">{pct(r.best_val_acc_mean)}</td>
                <td className="num">{num(r.aie_mean)}</td>
                <td className="num">{num(r.feat_l2_dist_mean)}</td>
                <td>
                  <a href={`/api/configs/${r.fingerprint}`} title={`fingerprint ${r.fingerprint}`}>
                    {shortId(r.fingerprint, 8)}
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function OverallTable({ rows }: { rows: OverallRow[] }) {
  return (
    <div className="table-wrap">
      <table data-testid="overall-table">
        <thead>
          <tr>
            <th>Rank</th>
            <th>Strategy</th>
            <th className="num">Mean win rate</th>
            <th className="num">Points / comparisons</th>
            <th className="num">Cells</th>
            <th className="num">Mean cell rank</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.strategy}>
              <td className="rank">{r.rank}</td>
              <td>
                <StrategyName id={r.strategy} title={r.title} inPaper={r.in_paper} />
              </td>
              <td className="num">{r.win_rate === null ? '—' : pct(r.win_rate, 1)}</td>
              <td className="num">
                {r.points} / {r.comparisons}
              </td>
              <td className="num">{r.cells}</td>
              <td className="num">{r.mean_rank.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReferenceCard({ config: r, origin }: { config: ReferenceConfigSummary; origin: string }) {
  return (
    <div className="card" data-testid="reference-config">
      <h3>
        {r.backbone} × {r.dataset}
      </h3>
      <p style={{ margin: '0 0 0.5rem' }}>
        Best: <strong>{r.strategy}</strong> (tau {r.tau}){r.tied > 0 ? `, statistically tied with ${r.tied} other${r.tied > 1 ? 's' : ''}` : ''}
      </p>
      <dl className="kv small">
        <dt>Expected test acc</dt>
        <dd>
          {pct(r.test_acc.mean)} (95% CI {pct(r.test_acc.lo)} – {pct(r.test_acc.hi)}, {r.n} seeds)
        </dd>
        <dt>Expected AIE</dt>
        <dd>
          {num(r.aie.mean)} (seen {num(r.aie.min)} – {num(r.aie.max)})
        </dd>
        <dt>Fingerprint</dt>
        <dd className="mono">{shortId(r.id, 16)}…</dd>
      </dl>
      <pre style={{ margin: '0.6rem 0 0.3rem' }}>
        <code>{`npx headprep run ${origin}/api/configs/${r.id}`}</code>
      </pre>
      <a href={`/api/configs/${r.id}`} download={`${r.suite}-${r.backbone}-${r.dataset}-${r.strategy}.json`}>
        Download config JSON
      </a>
    </div>
  );
}
