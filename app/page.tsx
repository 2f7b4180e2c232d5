import { loadHomePage } from './_server/read-model';
import { num, pct, pp } from './_components/format';
import { TrustBadge } from './_components/trust-badge';
import { strategyColor } from './_lib/ranking';
import { suiteSlug, STRATEGIES } from '../contract';
import { EnergyDefinition } from './_components/energy-definition';
import { PendingExplainer } from './_components/pending-explainer';
import { SuiteNeeds } from './_components/suite-needs';
import { utc } from './_components/time';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  // index: every published suite, with or without results (view.suites lists only ranked ones).
  const { view, index, origin } = await loadHomePage();
  const pending = index.reduce((n, s) => n + s.pending, 0);
  return (
    <>
      <h1>HeadPrep</h1>
      <p style={{ maxWidth: '60rem' }}>
        How should you prepare a task head before finetuning a pretrained backbone? HeadPrep runs standardized,
        versioned head-preparation protocols (linear probe, LP-FT, early-stopped head probing, label smoothing, ...) and
        ranks them per backbone and dataset with honest uncertainty. It also measures the <em>energy</em> at the start of
        finetuning and how far the features move, the quantities Ren et al. (ICLR 2023) showed explain which preparation
        wins.
      </p>
      <p className="explain" style={{ maxWidth: '60rem' }}>
        <EnergyDefinition />
      </p>

      <h2 id="suites">Suites</h2>
      {view.suites.length === 0 ? (
        pending > 0 ? (
          <div data-testid="empty-leaderboard">
            <p className="muted">No ranked results yet.</p>
            <PendingExplainer count={pending} />
          </div>
        ) : (
          <p className="muted" data-testid="empty-leaderboard">
            No results yet. Run a suite and submit it (see the quick start below).
          </p>
        )
      ) : (
        <div className="cards">
          {view.suites.map((s) => (
            <div className="card" key={suiteSlug(s)} data-testid="suite-card">
              <h3>
                <a href={`/suites/${suiteSlug(s)}`}>
                  {s.name}@{s.version}
                </a>
              </h3>
              {s.description && <p className="small">{s.description}</p>}
              <table className="small">
                <thead>
                  <tr>
                    <th>Cell</th>
                    <th>Best strategy</th>
                    <th className="num">Test acc</th>
                  </tr>
                </thead>
                <tbody>
                  {s.cells.map((c) => (
                    <tr key={`${c.backbone}/${c.dataset}`}>
                      <td>
                        {c.backbone} × {c.dataset}
                      </td>
                      <td>
                        {c.best ? (
                          <>
                            <span className="swatch" style={{ background: strategyColor(c.best.strategy) }} aria-hidden />
                            {c.best.strategy}
                            {c.best.strategy === 'hp-tau' ? ` (tau ${c.best.tau})` : ''}
                            {c.best.tied > 0 ? <span className="muted"> (tied with {c.best.tied})</span> : null}
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td className="num">
                        {c.best ? (
                          <>
                            {pct(c.best.mean)} {c.best.n >= 2 ? <span className="muted">{pp((c.best.hi - c.best.lo) / 2, 1)}</span> : null}
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="small muted" style={{ marginBottom: 0 }}>
                {s.results} results · <a href={`/suites/${suiteSlug(s)}`}>leaderboard</a>
              </p>
            </div>
          ))}
        </div>
      )}

      <h2 id="all-suites">All suites</h2>
      <ul className="suite-index" data-testid="all-suites">
        {index.map((s) => (
          <li key={suiteSlug(s)}>
            <a href={`/suites/${suiteSlug(s)}`}>
              {s.name}@{s.version}
            </a>{' '}
            <span className="small muted">
              {s.ranked} ranked result{s.ranked === 1 ? '' : 's'}
              {s.pending ? `, ${s.pending} pending approval` : ''}
            </span>
            {s.description && <div className="small muted">{s.description}</div>}
            <SuiteNeeds suite={s.name} />
          </li>
        ))}
      </ul>

      <h2>Recent results</h2>
      {pending > 0 && view.suites.length > 0 && <PendingExplainer count={pending} />}
      {view.recent.length === 0 ? (
        <p className="muted">Nothing submitted yet.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="recent-results">
            <thead>
              <tr>
                <th>Received (UTC)</th>
                <th>Suite</th>
                <th>Cell</th>
                <th>Strategy</th>
                <th className="num">tau</th>
                <th className="num">seed</th>
                <th className="num">Test acc</th>
                <th className="num">Energy (AIE)</th>
                <th>Trust</th>
              </tr>
            </thead>
            <tbody>
              {view.recent.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/results/${r.id}`}>{utc(r.received_at).slice(0, 16)}</a>
                  </td>
                  <td>{r.suite}</td>
                  <td>
                    {r.backbone} × {r.dataset}
                  </td>
                  <td>{r.strategy}</td>
                  <td className="num">{r.tau}</td>
                  <td className="num">{r.seed}</td>
                  <td className="num">{pct(r.test_acc)}</td>
                  <td className="num">{num(r.aie)}</td>
                  <td>
                    <TrustBadge tier={r.trust} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Quick start</h2>
      <pre>
        <code>{`npx headprep keys create                       # an Ed25519 key in your config dir
npx headprep keys register --site ${origin} --name "you" --contact you@example.org
npx headprep run synthetic-linear@1 --out runs/syn # one bundle per cell
npx headprep report runs/                          # every run under runs/, ranked
npx headprep submit runs/ --site ${origin}`}</code>
      </pre>
      <p className="small">
        Or rerun a cell&rsquo;s best config: see <a href="/configs">reference configs</a>. How keys are approved and how
        results are ranked: <a href="/submit">submit</a>.
      </p>

      <h2>Strategies</h2>
      <table className="small">
        <tbody>
          {Object.values(STRATEGIES).map((s) => (
            <tr key={s.id}>
              <td>
                <span className="swatch" style={{ background: strategyColor(s.id) }} aria-hidden />
                <strong>{s.id}</strong>
              </td>
              <td>
                {s.title}
                {!s.in_paper && <span className="badge"> not in paper</span>}
              </td>
              <td className="muted">{s.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
