import { loadConfigsPage } from '../_server/read-model';
import { ReferenceConfigCard } from '../_components/reference-config-card';

export const dynamic = 'force-dynamic';

export const metadata = { title: 'Reference configs — HeadPrep' };

export default async function ConfigsPage() {
  const { suites, origin } = await loadConfigsPage();
  return (
    <>
      <h1>Reference configs</h1>
      <p className="explain">
        For every (backbone, dataset) cell of every suite version: the best-ranked strategy&rsquo;s complete config (the
        variant chosen on validation accuracy). The mean test accuracy comes with its 95% confidence interval (where the
        mean over seeds lies); a single rerun varies more, so each card also gives the 95% prediction interval for one
        run, mean ± t<sub>0.975,n−1</sub>·s·√(1 + 1/n). Paste the command to rerun it: after a full run,{' '}
        <code>headprep</code> says whether it landed in that interval. <code>GET /api/configs/&lt;id&gt;</code> returns
        exactly the config JSON, and <a href="/api/configs">/api/configs</a> lists them all.
      </p>
      {suites.length === 0 && <p className="muted">No ranked results yet, so no reference configs.</p>}
      {suites.map((s) => (
        <section key={s.suite} aria-label={s.suite}>
          <h2>
            <a href={`/suites/${s.suite}`}>{s.suite}</a>
          </h2>
          {s.description && <p className="small muted">{s.description}</p>}
          <div className="cards">
            {s.references.map((r) => (
              <ReferenceConfigCard key={`${r.backbone}/${r.dataset}`} config={r} origin={origin} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
