export default function HomePage() {
  return (
    <>
      <h1>HeadPrep</h1>
      <p>
        How should you prepare a task head before finetuning a pretrained backbone? HeadPrep runs standardized,
        versioned head-preparation protocols (linear probe, LP-FT, early-stopped head probing, label smoothing, ...)
        and ranks them per backbone and dataset, measuring the <em>energy</em> at the start of finetuning and how far
        the features move (Ren et al., ICLR 2023).
      </p>
      <h2>Leaderboard</h2>
      <p className="muted" data-testid="empty-leaderboard">
        No results yet. Run a suite and submit it.
      </p>
      <h2>Quick start</h2>
      <pre>
        <code>{`npx headprep keys create
npx headprep run tiny@1 --out runs/
npx headprep verify runs/*.json --key "$(npx headprep keys show --pem)"`}</code>
      </pre>
    </>
  );
}
