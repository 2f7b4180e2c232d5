import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { loadResult } from '../../_server/read-model';
import { EpochCurves } from '../../_components/epoch-curves';
import { num, pct } from '../../_components/format';
import { ReproductionBadge } from '../../_components/reproduction-badge';
import { TrustBadge } from '../../_components/trust-badge';
import { strategyInfo } from '../../_lib/ranking';
import { PendingExplainer } from '../../_components/pending-explainer';
import { utc } from '../../_components/time';
import { shortId, suiteSlug } from '../../../contract';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Result ${id} — HeadPrep` };
}

export default async function ResultPage({ params, searchParams }: Props) {
  const { id } = await params;
  const cursor = (await searchParams).reproductions;
  const r = await loadResult(id, typeof cursor === 'string' ? cursor : null);
  if (!r) notFound();
  const b = r.bundle;
  const c = b.config;
  const suite = suiteSlug(b.suite);
  const info = strategyInfo(c.strategy.id);
  return (
    <>
      <p className="muted small" style={{ margin: 0 }}>
        <a href="/">Suites</a> / <a href={`/suites/${suite}`}>{suite}</a> / result
      </p>
      <h1>
        {c.strategy.id} on {c.backbone.id} × {c.dataset.id}
      </h1>
      <p>
        tau {c.tau} · seed {c.seed} · {info.title} · <TrustBadge tier={r.trust} /> <ReproductionBadge resultId={r.id} identities={r.identities} />
        {r.hidden && <span className="badge bad"> hidden by a maintainer</span>}
        {b.status !== 'ok' && <span className="badge bad"> status {b.status}</span>}
      </p>
      {b.error_message && <p className="notice">Error: {b.error_message}</p>}
      {r.trust === 'pending' && <PendingExplainer keyId={r.key.id} />}

      <div className="toolbar" data-testid="downloads">
        <strong>Download:</strong>
        <a href={`/results/${r.id}/config.json`} download={`headprep-config-${r.id}.json`} data-testid="download-config">
          config (for <code>headprep run</code>)
        </a>
        <a href={`/results/${r.id}/bundle.json`} download={`headprep-bundle-${r.id}.json`}>
          bundle
        </a>
        <a href={`/results/${r.id}/envelope.json`} download={`headprep-envelope-${r.id}.json`}>
          signed envelope
        </a>
      </div>

      <div className="cards">
        <SummaryCard b={b} />
        <EnergyCard b={b} />
        <ProvenanceCard r={r} />
        <EnvironmentCard b={b} />
      </div>

      <EpochSection b={b} />
      <ReproductionsSection r={r} />
      <ConfigSection b={b} />
    </>
  );
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadResult>>>;
type Bundle = Loaded['bundle'];

function SummaryCard({ b }: { b: Bundle }) {
  return (
    <div className="card">
      <h3>Summary</h3>
      <dl className="kv small">
        <dt>Test acc (best-val epoch)</dt>
        <dd>{pct(b.summary?.test_acc)}</dd>
        <dt>Best val acc</dt>
        <dd>
          {pct(b.summary?.best_val_acc)} at epoch {b.summary?.best_epoch ?? '—'}
        </dd>
        <dt>Last-epoch test acc</dt>
        <dd>{pct(b.summary?.last_test_acc)}</dd>
        <dt>LP test acc</dt>
        <dd>{pct(b.summary?.lp_test_acc)}</dd>
        {b.summary?.ood_test_acc !== undefined && (
          <>
            <dt>OOD test acc (best-val epoch)</dt>
            <dd data-testid="ood-test-acc">{pct(b.summary.ood_test_acc)}</dd>
          </>
        )}
        {b.summary?.lp_ood_test_acc !== undefined && (
          <>
            <dt>LP OOD test acc</dt>
            <dd>{pct(b.summary.lp_ood_test_acc)}</dd>
          </>
        )}
        <dt>Wall time</dt>
        <dd>{b.summary ? `${b.summary.wall_time_s.toFixed(1)} s` : '—'}</dd>
        <dt>Throughput</dt>
        <dd>{b.summary ? `${Math.round(b.summary.samples_per_sec)} samples/s` : '—'}</dd>
        <dt>Peak memory</dt>
        <dd>{b.summary ? `${Math.round(b.summary.peak_memory_mb)} MiB` : '—'}</dd>
      </dl>
    </div>
  );
}

function EnergyCard({ b }: { b: Bundle }) {
  return (
    <div className="card">
      <h3>Energy at the start of finetuning</h3>
      <dl className="kv small">
        <dt>AIE</dt>
        <dd>{num(b.energy?.aie)}</dd>
        <dt>Quartiles</dt>
        <dd>
          {num(b.energy?.aie_q25)} / {num(b.energy?.aie_median)} / {num(b.energy?.aie_q75)}
        </dd>
        <dt>HP train acc / loss</dt>
        <dd>
          {pct(b.energy?.hp_train_acc)} / {num(b.energy?.hp_train_loss)} nats
        </dd>
        <dt>Head norm</dt>
        <dd>{num(b.energy?.head_norm)}</dd>
        <dt>||z₀|| (eval set)</dt>
        <dd>{num(b.energy?.feat_norm_ref)}</dd>
        <dt>Cached features</dt>
        <dd data-testid="cached-features">
          {b.energy ? (b.energy.hp_cached_features ? 'yes' : 'no') : '—'}
          <div className="muted">
            {b.energy?.hp_cached_features === false
              ? 'Augmentation was on, so head probing recomputed the backbone features for every batch.'
              : 'The backbone is frozen while the head is probed and there is no augmentation, so its features were computed once and the head trained on those stored features (same numbers, much faster).'}
          </div>
        </dd>
      </dl>
    </div>
  );
}

function ProvenanceCard({ r }: { r: Loaded }) {
  const b = r.bundle;
  return (
    <div className="card">
      <h3>Provenance</h3>
      <dl className="kv small">
        <dt>Result id</dt>
        <dd className="mono">{r.id}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono" data-testid="fingerprint">
          {b.fingerprint}
        </dd>
        <dt>Signed by</dt>
        <dd data-testid="result-key">
          <a href={`/keys/${r.key.id}`}>{r.key.name ?? 'unnamed key'}</a> <TrustBadge tier={r.key.status} />
          <div className="mono">
            <a href={`/keys/${r.key.id}`}>{r.key.id}</a>
          </div>
        </dd>
        <dt>Received by the site</dt>
        <dd>{utc(r.received_at)}</dd>
        <dt>FT and evaluation</dt>
        <dd data-testid="ran">
          {utc(b.started_at)} → {utc(b.finished_at)} ({((Date.parse(b.finished_at) - Date.parse(b.started_at)) / 1000).toFixed(1)} s)
          <div className="muted">
            This cell&rsquo;s own finetuning and evaluation. Its wall time
            {b.summary ? ` (${b.summary.wall_time_s.toFixed(1)} s)` : ''} also counts the data loading, feature caching
            and head probing it shares with the other cells of its probe group, which ran before.
          </div>
        </dd>
      </dl>
    </div>
  );
}

function EnvironmentCard({ b }: { b: Bundle }) {
  return (
    <div className="card">
      <h3>Environment</h3>
      <dl className="kv small">
        <dt>Runner</dt>
        <dd>
          {b.environment.runner_version}
          {b.environment.git_sha ? ` (${b.environment.git_sha.slice(0, 10)})` : ''}
        </dd>
        <dt>tfjs</dt>
        <dd>
          {b.environment.tfjs_version}, backend {b.environment.backend}
        </dd>
        <dt>Node</dt>
        <dd>{b.environment.node}</dd>
        <dt>OS</dt>
        <dd>{b.environment.os}</dd>
        <dt>CPU</dt>
        <dd>{b.environment.cpu}</dd>
        <dt>GPU</dt>
        <dd>{b.environment.gpu ?? 'none'}</dd>
      </dl>
    </div>
  );
}

function EpochSection({ b }: { b: Bundle }) {
  const c = b.config;
  return (
    <>
      <h2>Epoch curves</h2>
      {b.epochs.length === 1 && (
        <p className="explain" data-testid="single-epoch-note">
          One point per curve: {c.strategy.id} {c.ft.epochs === 0 ? 'has no finetuning' : 'recorded no finetuning epoch'}, so
          the only row is epoch 0, the head right after head probing with the backbone untouched (its test accuracy is the
          LP test acc above).
        </p>
      )}
      {b.epochs.length > 0 ? (
        <EpochCurves
          bestEpoch={b.summary?.best_epoch ?? null}
          epochs={b.epochs.map((e) => ({
            epoch: e.epoch,
            train_acc: e.train_acc,
            val_acc: e.val_acc,
            test_acc: e.test_acc,
            train_loss: e.train_loss,
            val_loss: e.val_loss,
            test_loss: e.test_loss,
            energy: e.energy,
            feat_l2_dist: e.feat_l2_dist,
            feat_cos_dist: e.feat_cos_dist,
            feat_dot: e.feat_dot,
            feat_norm: e.feat_norm,
          }))}
        />
      ) : (
        <p className="muted">No epochs recorded.</p>
      )}
    </>
  );
}

function ReproductionsSection({ r }: { r: Loaded }) {
  return (
    <>
      <h2 id="reproductions">Reproductions</h2>
      <p className="explain">
        Reruns of this exact config and seed by other keys, compared metric by metric by the site (
        <code>headprep reproduce {r.id} --site &lt;this site&gt; --submit</code>). Only approved keys of another
        identity (a person or lab) than the submitter&apos;s count toward the tier; they are listed first. A disputed
        result stays ranked; it leaves the ranking when two independent identities found it differs, or a maintainer
        confirms the dispute.
      </p>
      {(r.identities.reproduced_by.length > 0 || r.identities.disputed_by.length > 0) && (
        <p data-testid="reproducing-identities">
          {r.identities.reproduced_by.length > 0 && (
            <>
              Reproduced by {r.identities.reproduced_by.length} independent {r.identities.reproduced_by.length === 1 ? 'identity' : 'identities'}:{' '}
              {r.identities.reproduced_by.map((x) => x.name).join(', ')}.{' '}
            </>
          )}
          {r.identities.disputed_by.length > 0 && (
            <>
              Disputed by {r.identities.disputed_by.length} independent {r.identities.disputed_by.length === 1 ? 'identity' : 'identities'}:{' '}
              {r.identities.disputed_by.map((x) => x.name).join(', ')}.
            </>
          )}
          {r.dispute_review && <> A maintainer {r.dispute_review} the dispute.</>}
        </p>
      )}
      {r.reproductions.items.length > 0 ? (
        <table data-testid="reproductions">
          <thead>
            <tr>
              <th>Verdict</th>
              <th>Key, identity</th>
              <th>Runner, backend</th>
              <th>Metrics outside tolerance</th>
              <th>Received</th>
            </tr>
          </thead>
          <tbody>
            {r.reproductions.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/api/reproductions/${p.id}`}>
                    <span className={`badge ${p.verdict === 'differs' ? 'bad' : 'ok'}`}>{p.verdict}</span>
                  </a>
                  {!p.counts && (
                    <span className="muted small">
                      {' '}
                      (does not count: {p.key_status !== 'approved' ? `key ${p.key_status}` : 'same identity as the submitter, or cleared by a maintainer'})
                    </span>
                  )}
                </td>
                <td>
                  <a className="mono" href={`/keys/${shortId(p.key_id)}`}>
                    {shortId(p.key_id)}
                  </a>
                  {p.identity && <span className="small"> {p.identity.name}</span>}
                </td>
                <td>
                  {p.runner_version}, {p.backend}
                </td>
                <td className="mono small">{p.differing.length ? p.differing.slice(0, 5).join(', ') + (p.differing.length > 5 ? ' …' : '') : '—'}</td>
                <td>{utc(p.received_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No reproductions yet.</p>
      )}
      {r.reproductions.next_cursor && (
        <p>
          <a href={`/results/${r.id}?reproductions=${r.reproductions.next_cursor}#reproductions`} data-testid="reproductions-next">
            More reproductions
          </a>
        </p>
      )}
    </>
  );
}

function ConfigSection({ b }: { b: Bundle }) {
  return (
    <>
      <h2>Config</h2>
      <p className="explain">
        Every score-affecting field; the fingerprint is the SHA-256 of its RFC 8785 canonical JSON without the seed.
      </p>
      <pre data-testid="config-json">
        <code>{JSON.stringify(b.config, null, 2)}</code>
      </pre>
    </>
  );
}
