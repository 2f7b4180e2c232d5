import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { shortId } from '../../../contract';
import { loadKeyPagePaged } from '../../_server/read-model';
import { num, pct } from '../../_components/format';
import { DataTable, type Column } from '../../_components/data-table';
import { KeyStatusNote, TrustBadge } from '../../_components/trust-badge';
import { PendingExplainer } from '../../_components/pending-explainer';
import { utc } from '../../_components/time';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Key ${shortId(id)} — HeadPrep` };
}

/** A submitter's page: the key (full id or a unique short id), its status and history, its results. */
export default async function KeyPage({ params, searchParams }: Props) {
  const { id: raw } = await params;
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    /* not percent-encoding: no key id has a "%", the lookup says not found */
  }
  const q = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : null);
  const filter = (one(q.q) ?? '').slice(0, 200);
  const { lookup: found, results: page, reproductions, counts } = await loadKeyPagePaged(id, { results: one(q.results), reproductions: one(q.reproductions) }, filter || null);
  if (found.kind === 'ambiguous') return <AmbiguousKey id={id} keys={found.keys} />;
  if (found.kind !== 'found') notFound();
  const k = found.key;
  const pending = counts.pending;
  const more = (param: 'results' | 'reproductions', cursor: string) => {
    const u = new URLSearchParams();
    const other = param === 'results' ? 'reproductions' : 'results';
    const keep = one(q[other]);
    if (keep) u.set(other, keep);
    if (filter) u.set('q', filter);
    u.set(param, cursor);
    return `/keys/${k.id}?${u}#${param}`;
  };
  return (
    <>
      <p className="muted small" style={{ margin: 0 }}>
        <a href="/">Suites</a> / key
      </p>
      <h1>{k.name}</h1>
      <KeyCard k={k} counts={counts} />
      {pending > 0 && <PendingExplainer count={pending} keyId={k.id} />}
      <h2 id="results">Results</h2>
      <KeyResults k={k} counts={counts} filter={filter} page={page} more={more} />
      <KeyReproductions reproductions={reproductions} more={more} />
    </>
  );
}

type Loaded = Awaited<ReturnType<typeof loadKeyPagePaged>>;
type Key = Extract<Loaded['lookup'], { kind: 'found' }>['key'];
type More = (param: 'results' | 'reproductions', cursor: string) => string;

function AmbiguousKey({ id, keys }: { id: string; keys: Extract<Loaded['lookup'], { kind: 'ambiguous' }>['keys'] }) {
  return (
    <>
      <h1>Key {id}</h1>
      <p className="notice" role="alert">
        Several keys start with <span className="mono">{id}</span>; pick one:
      </p>
      <ul>
        {keys.map((k) => (
          <li key={k.id}>
            <a href={`/keys/${k.id}`} className="mono">
              {k.id}
            </a>{' '}
            {k.name} <TrustBadge tier={k.status} />
          </li>
        ))}
      </ul>
    </>
  );
}

function KeyCard({ k, counts }: { k: Key; counts: Loaded['counts'] }) {
  const pending = counts.pending;
  return (
    <>
      <div className="card" data-testid="key-card">
        <dl className="kv small">
          <dt>Key id</dt>
          <dd className="mono">{k.id}</dd>
          <dt>Short id</dt>
          <dd className="mono">{shortId(k.id)}</dd>
          <dt>Status</dt>
          <dd data-testid="key-status">
            <KeyStatusNote status={k.status} />
          </dd>
          <dt>Registered</dt>
          <dd>{utc(k.created_at)}</dd>
          {k.approved_at && (
            <>
              <dt>Approved</dt>
              <dd>{utc(k.approved_at)}</dd>
            </>
          )}
          {k.revoked_at && (
            <>
              <dt>Revoked</dt>
              <dd>{utc(k.revoked_at)}</dd>
            </>
          )}
          <dt>Results</dt>
          <dd>
            {counts.total}
            {pending ? ` (${pending} pending)` : ''}
          </dd>
        </dl>
      </div>
    </>
  );
}

/** The link to the next (older) page of one of the key's lists, when there is one. */
function OlderLink({ list, cursor, more }: { list: 'results' | 'reproductions'; cursor: string | null; more: More }) {
  if (!cursor) return null;
  return (
    <p>
      <a href={more(list, cursor)} data-testid={`key-${list}-next`}>
        Older {list}
      </a>
    </p>
  );
}

const numeric = (label: string): Column => ({ label, num: true });
const RESULT_COLUMNS: Column[] = ['Result', 'Suite', 'Cell', 'Strategy', numeric('tau'), numeric('seed'), numeric('Test acc'), numeric('Energy (AIE)'), 'Tier', 'Received (UTC)'];

function KeyResults({ k, counts, filter, page, more }: { k: Key; counts: Loaded['counts']; filter: string; page: Loaded['results']; more: More }) {
  const rows = page.items;
  return (
    <>
      {counts.total > 0 && (
        <form method="get" action={`/keys/${k.id}#results`} className="filter-form" role="search" data-testid="key-results-filter">
          <label>
            Filter{' '}
            <input type="search" name="q" defaultValue={filter} placeholder="suite, strategy, cell or result id, e.g. digits-transfer@2 hp-ls" />
          </label>{' '}
          <button type="submit">Filter</button>
          {counts.matching !== null && (
            <span className="muted" data-testid="key-results-matching">
              {' '}
              {counts.matching} of {counts.total} results match · <a href={`/keys/${k.id}#results`}>show all</a>
            </span>
          )}
        </form>
      )}
      {rows.length === 0 && counts.matching !== null ? (
        <p className="muted">No result of this key matches “{filter}”.</p>
      ) : rows.length === 0 ? (
        <p className="muted">
          No results from this key yet. Run a suite and submit: <code>npx headprep submit runs --site &lt;url&gt;</code>.
        </p>
      ) : (
        <DataTable testId="key-results" columns={RESULT_COLUMNS}>
          {rows.map((r) => (
            <tr key={r.id} data-strategy={r.strategy}>
              <td className="mono">
                <a href={`/results/${r.id}`}>{r.id.slice(0, 10)}</a>
              </td>
              <td>
                <a href={`/suites/${r.suite}`}>{r.suite}</a>
              </td>
              <td>
                {r.backbone} × {r.dataset}
              </td>
              <td>{r.strategy}</td>
              <td className="num">{r.tau}</td>
              <td className="num">{r.seed}</td>
              <td className="num">{r.status === 'ok' ? pct(r.test_acc) : 'error'}</td>
              <td className="num">{num(r.aie)}</td>
              <td>
                <TrustBadge tier={r.trust_tier} />
              </td>
              <td>{utc(r.received_at)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <OlderLink list="results" cursor={page.next_cursor} more={more} />
    </>
  );
}

function KeyReproductions({ reproductions, more }: { reproductions: Loaded['reproductions']; more: More }) {
  return (
    <>
      <h2 id="reproductions">Reproductions</h2>
      <p className="explain">
        Reruns of other keys&apos; results by this key (<code>headprep reproduce &lt;id&gt; --submit</code>), newest first. They
        count toward a result&apos;s tier once this key is approved, and only for results of another identity.
      </p>
      {reproductions.items.length === 0 ? (
        <p className="muted">No reproductions from this key.</p>
      ) : (
        <DataTable testId="key-reproductions" columns={['Verdict', 'Result', 'Runner, backend', 'Counts', 'Received (UTC)']}>
          {reproductions.items.map((p) => (
            <tr key={p.id}>
              <td>
                <a href={`/api/reproductions/${p.id}`}>
                  <span className={`badge ${p.verdict === 'differs' ? 'bad' : 'ok'}`}>{p.verdict}</span>
                </a>
              </td>
              <td className="mono">
                <a href={`/results/${p.result_id}#reproductions`}>{p.result_id.slice(0, 10)}</a>
              </td>
              <td>
                {p.runner_version}, {p.backend}
              </td>
              <td>{p.counts ? 'yes' : p.key_status !== 'approved' ? `no (key ${p.key_status})` : 'no (same identity, or cleared)'}</td>
              <td>{utc(p.received_at)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <OlderLink list="reproductions" cursor={reproductions.next_cursor} more={more} />
    </>
  );
}
