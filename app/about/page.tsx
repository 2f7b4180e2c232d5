import { CopyButton } from '../_components/copy-button';
import { EnergyDefinition } from '../_components/energy-definition';
import { PAPER, sourceUrl } from '../_components/paper';

export const metadata = { title: 'About — HeadPrep' };

export default function AboutPage() {
  const source = sourceUrl();
  return (
    <>
      <h1>About HeadPrep</h1>
      <p className="explain">
        HeadPrep is an open benchmark and leaderboard for how to prepare a task head before finetuning a pretrained
        backbone. It runs standardized, versioned protocols on the submitters&rsquo; own machines, verifies their signed
        results, and ranks strategies per backbone and dataset with seeds aggregated and 95% intervals shown.
      </p>
      <h2 id="paper">The paper</h2>
      <p>
        {PAPER.authors}. <a href={PAPER.arxiv}>{PAPER.title}</a>. {PAPER.venue}. arXiv:2302.05779.
      </p>
      <p>
        <EnergyDefinition />
      </p>
      <h2 id="cite">Cite</h2>
      <p className="small muted">If you use HeadPrep&rsquo;s results, cite the paper whose measurements it follows:</p>
      <pre data-testid="bibtex">
        <code>{PAPER.bibtex}</code>
      </pre>
      <CopyButton text={PAPER.bibtex} label="Copy BibTeX" />
      <h2 id="source">Source code</h2>
      <p>
        {source ? (
          <>
            The site, the <code>headprep</code> runner and the suites are open source (MIT): <a href={source}>{source}</a>.
          </>
        ) : (
          <>
            The site, the <code>headprep</code> runner and the suites are open source (MIT) and ship together in one
            repository; this deployment has not set <code>HEADPREP_SOURCE_URL</code>, so ask its maintainers for the link.
          </>
        )}{' '}
        The runner is not published on npm: <code>npx headprep</code> works inside a clone of the repository after{' '}
        <code>npm install</code>.
      </p>
    </>
  );
}
