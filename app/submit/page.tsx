import { idPreview, MIN_KEY_PREFIX, shortId, SHORT_ID_LENGTH } from '../../contract';
import { loadSubmitPage } from '../_server/read-model';
import { KeyStatusNote } from '../_components/trust-badge';
import { utc } from '../_components/time';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Submit results — HeadPrep' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SubmitPage({ searchParams }: Props) {
  const sp = await searchParams;
  const raw = [sp.key ?? []].flat()[0]?.trim().toLowerCase() ?? '';
  // The full id or the 12-character short id the CLI prints (any unique prefix of >= 8 digits).
  const { lookup, results: keyResults, origin } = await loadSubmitPage(raw);
  const key = lookup?.kind === 'found' ? lookup.key : null;
  return (
    <>
      <h1>Submit results</h1>
      <p className="explain">
        Results reach the leaderboard only as signed envelopes (DSSE v1, Ed25519) from registered keys. A new key is{' '}
        <em>pending</em> until a maintainer approves it: its results are stored and visible with the &ldquo;include pending
        keys&rdquo; toggle, but not ranked. Submitting the same envelope twice never counts twice.
      </p>

      <h2>1. Get a key</h2>
      <pre>
        <code>{`npx headprep keys create          # Ed25519 key pair in your config dir (private key 0600)
npx headprep keys show            # prints your key id (sha256 of the raw public key)
npx headprep keys register --site ${origin} --name "Your Name" --contact you@example.org`}</code>
      </pre>
      <p className="small">Registration proves possession: the request is signed by the key itself.</p>

      <h2>2. Run a suite</h2>
      <pre>
        <code>{`npx headprep suites                          # what exists
npx headprep run synthetic-linear@1 --out runs/syn --jobs 2
npx headprep run synthetic-linear@1 --out runs/syn --shard 1/4   # one of four machines
npx headprep report runs/                        # every run under runs/: check before you submit`}</code>
      </pre>
      <p className="small">
        Every cell writes one bundle file atomically; <code>--resume</code> skips finished cells. Suites fix every
        hyper-parameter, so your results pool with everyone else&rsquo;s of the same protocol fingerprint.
      </p>

      <h2>3. Submit</h2>
      <pre>
        <code>{`npx headprep submit runs/ --site ${origin}`}</code>
      </pre>
      <p className="small">
        Each result under <code>runs/</code> (subfolders included) is signed, uploaded with retries, and printed with its id
        and URL. Anything not accepted yet stays in an on-disk outbox and is retried by the next <code>submit</code>. While
        your key is pending, <code>submit</code> says so: the results are listed on your key&rsquo;s page, marked pending,
        and ranked as soon as the key is approved. Running your own site? Approve your key with{' '}
        <code>ADMIN_TOKEN=&lt;token&gt; npx headprep keys approve &lt;short id&gt; --site {origin}</code>.
      </p>

      <h2>Key status</h2>
      <form method="get" action="/submit" className="filters" aria-label="Key status lookup">
        <label style={{ flex: '1 1 20rem', minWidth: 0 }}>
          Key id or short id
          <input
            name="key"
            defaultValue={raw}
            pattern={`[0-9a-fA-F]{${MIN_KEY_PREFIX},64}`}
            placeholder="e.g. 3f1c9a0b7e42"
            style={{ width: '100%' }}
            aria-describedby="key-help"
          />
        </label>
        <button type="submit">Look up</button>
      </form>
      <p id="key-help" className="small muted">
        The 12-character short id that <code>headprep</code> prints is enough; <code>npx headprep keys show</code> prints the
        full id.
      </p>
      {lookup?.kind === 'invalid' && (
        <p className="notice" role="alert">
          A key id is hexadecimal: the full 64 digits (the SHA-256 of the raw public key) or at least its first{' '}
          {MIN_KEY_PREFIX}, such as the {SHORT_ID_LENGTH}-character short id. Run <code>npx headprep keys show</code>.
        </p>
      )}
      {lookup?.kind === 'none' && (
        <p className="notice" role="status" data-testid="key-status">
          No key starting with <span className="mono">{raw}</span> is registered here. Register it with{' '}
          <code>npx headprep keys register --site {origin}</code>.
        </p>
      )}
      {lookup?.kind === 'ambiguous' && (
        <div className="notice" role="alert" data-testid="key-status">
          {lookup.keys.length} keys start with <span className="mono">{raw}</span>; give more digits, or pick one:{' '}
          {lookup.keys.map((k) => (
            <a key={k.id} href={`/keys/${k.id}`} className="mono" style={{ marginRight: '0.8rem' }}>
              {idPreview(k.id)} ({k.name})
            </a>
          ))}
        </div>
      )}
      {key && (
        <div className="card" data-testid="key-status" style={{ marginTop: '1rem' }}>
          <dl className="kv small">
            <dt>Key</dt>
            <dd className="mono">
              <a href={`/keys/${key.id}`}>{key.id}</a>
            </dd>
            <dt>Name</dt>
            <dd>{key.name}</dd>
            <dt>Status</dt>
            <dd>
              <KeyStatusNote status={key.status} />
            </dd>
            <dt>Registered</dt>
            <dd>{utc(key.created_at)}</dd>
            <dt>Results</dt>
            <dd>
              {keyResults.length} (<a href={`/keys/${shortId(key.id)}`}>list them on the key&rsquo;s page</a>)
            </dd>
          </dl>
        </div>
      )}
    </>
  );
}
