import { loadHomePage } from './_server/read-model';
import { pct, pp } from './_components/format';
import { strategyColor } from './_lib/ranking';
import { suiteSlug, STRATEGIES, type ClaimId, type ClaimVerdict } from '../contract';
import { DataTable, type Column } from './_components/data-table';
import { EnergyDefinition } from './_components/energy-definition';
import { PendingExplainer } from './_components/pending-explainer';
import { SuiteIndexItem } from './_components/suite-index-item';
import { SuiteNeeds } from './_components/suite-needs';
import { utcRange } from './_components/time';

/** Column heads of the claims matrix, in the order of the claims (docs/science.md, "Claims"). */
const CLAIM_HEADS: Record<ClaimId, string> = {
  'energy-falls-with-tau': 'energy falls with tau',
  'features-move-with-energy': 'features move more at higher energy',
  'interior-tau-wins': 'tau* beats both ends',
  'ft-gain-at-tau-star': 'FT gain at tau*',
  'label-smoothing-raises-energy': 'label smoothing keeps energy up',
  'fixed-probe-energy': 'more energy at a fixed probe',
  'kumar-pattern': 'Kumar et al. FT / LP / LP-FT',
};
const VERDICT_CLASS: Record<ClaimVerdict, string> = {
  holds: 'verdict ok',
  'not significant': 'verdict neutral',
  contradicted: 'verdict bad',
  'no data': 'verdict neutral',
};

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

      <ClaimsMatrix claims={view.claims} />

      <BestPerSuite suites={view.suites} pending={pending} more={view.more_suites} />

      <AllSuites index={index} />

      <RecentActivity activity={view.activity} pending={pending} ranked={view.suites.length > 0} />

      <QuickStart origin={origin} />

      <StrategiesTable />
    </>
  );
}

type HomeData = Awaited<ReturnType<typeof loadHomePage>>;

function ClaimsMatrix({ claims }: { claims: HomeData['view']['claims'] }) {
  const labelOf = new Map(claims.flatMap((r) => r.claims.map((c) => [c.id, c.label] as const)));
  const claimIds = (Object.keys(CLAIM_HEADS) as ClaimId[]).filter((id) => labelOf.has(id));
  const columns: Column[] = [
    'Suite, cell',
    ...claimIds.map((id) => ({
      key: id,
      title: CLAIM_HEADS[id],
      label: (
        <>
          {labelOf.get(id)} <span className="claim-head">{CLAIM_HEADS[id]}</span>
        </>
      ),
    })),
  ];
  return (
    <>
      {claims.length > 0 && (
        <>
          <h2 id="claims">Which claims hold where</h2>
          <p className="explain">
            Each suite version&rsquo;s pre-registered claims on its first cell, with the verdict its data gives (the same
            computation as the suite page; click a verdict for its numbers and power note). (i) and (iv) are manipulation
            checks: they hold by construction when the pipeline works.
          </p>
          <DataTable className="claims-matrix cards-sm" testId="claims-matrix" columns={columns}>
            {claims.map((row) => (
              <tr key={row.suite} data-suite={row.suite}>
                <td className="col-first" data-label="Suite">
                  <a href={`/suites/${row.suite}`}>{row.suite}</a>
                  <div className="muted small">
                    {row.backbone} × {row.dataset}
                  </div>
                </td>
                {claimIds.map((id) => {
                  const c = row.claims.find((x) => x.id === id);
                  return (
                    <td key={id} data-label={`${labelOf.get(id)} ${CLAIM_HEADS[id]}`} data-claim={id} data-verdict={c?.verdict ?? 'none'}>
                      {c ? (
                        <a href={`/suites/${row.suite}#claim-${id}`} title={`${c.statement} ${c.summary}`} className={VERDICT_CLASS[c.verdict]}>
                          {c.verdict}
                        </a>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </>
  );
}

function BestPerSuite({ suites, pending, more }: { suites: HomeData['view']['suites']; pending: number; more: number }) {
  return (
    <>
      <h2 id="suites">Best strategy per suite</h2>
      {suites.length === 0 ? (
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
          {suites.map((s) => (
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
                            {c.best.tied_with.length > 0 ? (
                              <div className="muted small" data-testid="tie-group">
                                ties: {c.best.tied_with.join(', ')}
                              </div>
                            ) : (
                              <div className="muted small" data-testid="tie-group">
                                alone at the top
                              </div>
                            )}
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
      {more > 0 && (
        <p className="muted small" data-testid="more-suites">
          These are the {suites.length} suite versions with the most results; {more} more have results. Every published suite is
          listed under <a href="#all-suites">All suites</a>, each with its leaderboard.
        </p>
      )}
    </>
  );
}

function AllSuites({ index }: { index: HomeData['index'] }) {
  return (
    <>
      <h2 id="all-suites">All suites</h2>
      <ul className="suite-index" data-testid="all-suites">
        {index.map((s) => (
          <SuiteIndexItem key={suiteSlug(s)} suite={s}>
            {s.description && <div className="small muted">{s.description}</div>}
            <SuiteNeeds suite={s.name} />
          </SuiteIndexItem>
        ))}
      </ul>
    </>
  );
}

function RecentActivity({ activity, pending, ranked }: { activity: HomeData['view']['activity']; pending: number; ranked: boolean }) {
  return (
    <>
      <h2>Recent activity</h2>
      <p className="explain">Results of approved keys, grouped by key, suite version and day (newest first).</p>
      {pending > 0 && ranked && <PendingExplainer count={pending} />}
      {activity.length === 0 ? (
        <p className="muted">Nothing from an approved key yet.</p>
      ) : (
        <ul className="activity" data-testid="recent-activity">
          {activity.map((a) => (
            <li key={`${a.key_id}|${a.suite}|${a.day}`} data-suite={a.suite}>
              <a href={`/keys/${a.key_id}`}>{a.key_name}</a> submitted{' '}
              <strong>
                {a.results} result{a.results === 1 ? '' : 's'}
              </strong>{' '}
              to <a href={`/suites/${a.suite}`}>{a.suite}</a>{' '}
              <span className="muted small">
                ({a.strategies} strateg{a.strategies === 1 ? 'y' : 'ies'}, {a.seeds} seed{a.seeds === 1 ? '' : 's'}
                {a.ok < a.results ? `, ${a.results - a.ok} error bundles` : ''}) · {utcRange(a.first_at, a.last_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function QuickStart({ origin }: { origin: string }) {
  return (
    <>
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
    </>
  );
}

function StrategiesTable() {
  return (
    <>
      <h2>Strategies</h2>
      <table className="small">
        <tbody>
          {Object.values(STRATEGIES).map((s) => (
            <tr key={s.id}>
              <td>
                <span className="swatch" style={{ background: s.color }} aria-hidden />
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
