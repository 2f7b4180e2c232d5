/**
 * A reference config on /configs: the best strategy of a cell, the command that reruns it, and
 * what to expect. The band of the mean is called what it is (a 95% confidence interval of the
 * mean over seeds); what ONE rerun should land in is the wider 95% prediction interval, shown when
 * there are at least two seeds (contract/prediction-interval.ts).
 */
import { predictionInterval95FromCI } from '../../contract/prediction-interval';
import type { ReferenceConfigSummary } from '../_lib/dto';
import { num, pct } from './format';
import { idPreview } from '../../contract/ids';

export function ReferenceConfigCard({ config: r, origin }: { config: ReferenceConfigSummary; origin: string }) {
  const pi = predictionInterval95FromCI(r.test_acc.mean, r.test_acc, r.n);
  return (
    <div className="card" data-testid="reference-config">
      <h3>
        {r.backbone} × {r.dataset}
      </h3>
      <p style={{ margin: '0 0 0.5rem' }}>
        Best: <strong>{r.strategy}</strong> (tau {r.tau}){r.tied > 0 ? `, statistically tied with ${r.tied} other${r.tied > 1 ? 's' : ''}` : ''}
      </p>
      <dl className="kv small">
        <dt>Mean test acc</dt>
        <dd>
          {pct(r.test_acc.mean)}{' '}
          {r.n >= 2 ? (
            <>
              (95% confidence interval of the mean {pct(r.test_acc.lo)} – {pct(r.test_acc.hi)}, {r.n} seeds)
            </>
          ) : (
            <>(1 seed: no interval)</>
          )}
        </dd>
        <dt>One rerun</dt>
        <dd data-testid="prediction-interval">
          {pi ? (
            <>
              {pct(pi.lo)} – {pct(pi.hi)} <span className="muted">(95% prediction interval for a single run)</span>
            </>
          ) : (
            <span className="muted">needs 2 or more seeds to estimate</span>
          )}
        </dd>
        <dt>Energy (AIE)</dt>
        <dd>
          {num(r.aie.mean)} (seen {num(r.aie.min)} – {num(r.aie.max)})
        </dd>
        <dt>Fingerprint</dt>
        <dd className="mono">{idPreview(r.id)}</dd>
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
