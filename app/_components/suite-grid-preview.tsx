/**
 * What a suite version with no ranked results will rank: its cells, strategies with their taus,
 * seeds and the number of runs, from the published suite file (contract/suites/), plus the command
 * that runs it. Server-rendered.
 */
import type { Suite } from '../../contract';
import { strategyColor } from '../_lib/ranking';
import { suiteSlug } from '../../contract';

export function SuiteGridPreview({ suite }: { suite: Suite }) {
  const g = suite.grid;
  const runs = g.pairs.length * g.seeds.length * g.strategies.reduce((n, s) => n + s.taus.length, 0);
  const slug = suiteSlug(suite);
  return (
    <section className="card" data-testid="suite-grid-preview" aria-label="The suite's grid">
      <h3>What this suite ranks</h3>
      <dl className="kv small">
        <dt>Cells</dt>
        <dd>{g.pairs.map((p) => `${p.backbone} × ${p.dataset}`).join(', ')}</dd>
        <dt>Strategies (taus)</dt>
        <dd>
          <ul className="plain-list">
            {g.strategies.map((s, i) => (
              <li key={`${s.strategy.id}-${i}`} data-strategy={s.strategy.id}>
                <span className="swatch" style={{ background: strategyColor(s.strategy.id) }} aria-hidden />
                <strong>{s.strategy.id}</strong> tau {s.taus.join(', ')}
                {s.eta !== undefined ? ` · η ${s.eta}` : ''}
                {s.temperature !== undefined ? ` · T ${s.temperature}` : ''}
                {s.ft_epochs === 0 ? ' · no finetuning' : ''}
              </li>
            ))}
          </ul>
        </dd>
        <dt>Seeds</dt>
        <dd>
          {g.seeds.length} ({g.seeds.length > 6 ? `${g.seeds.slice(0, 3).join(', ')}, …, ${g.seeds.at(-1)}` : g.seeds.join(', ')})
        </dd>
        <dt>Runs</dt>
        <dd>
          {runs} cells ({g.pairs.length} pair{g.pairs.length === 1 ? '' : 's'} × {g.strategies.reduce((n, s) => n + s.taus.length, 0)} variants × {g.seeds.length} seeds),
          FT {suite.defaults.ft.epochs} epochs each
        </dd>
        <dt>What it needs</dt>
        <dd>{suite.description}</dd>
        <dt>Run it</dt>
        <dd>
          <code>npx headprep run {slug} --out runs/{suite.name}</code>
        </dd>
      </dl>
    </section>
  );
}
