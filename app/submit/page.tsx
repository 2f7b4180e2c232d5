import { getSiteDb } from '../_components/site-db';
import { getKeyStatus } from '../../db/queries/leaderboard-keys';
import { siteOrigin } from '../_components/site-origin';
import { TrustBadge } from '../_components/trust-badge';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Submit results — HeadPrep' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SubmitPage({ searchParams }: Props) {
  const sp = await searchParams;
  const raw = [sp.key ?? []].flat()[0]?.trim().toLowerCase() ?? '';
  const valid = /^[0-9a-f]{64}$/.test(raw);
  const status = valid ? await getKeyStatus(await getSiteDb(), raw) : null;
  const origin = await siteOrigin();
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
npx headprep run synthetic-linear@1 --out runs/ --jobs 2
npx headprep run synthetic-linear@1 --out runs/ --shard 1/4   # one of four machines
npx headprep report runs/                    # check before you submit`}</code>
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
        Each result is signed, uploaded with retries, and printed with its id and URL. Anything not accepted yet stays in
        an on-disk outbox and is retried by the next <code>submit</code>.
      </p>

      <h2>Key status</h2>
      <form method="get" action="/submit" className="filters" aria-label="Key status lookup">
        <label style={{ flex: '1 1 30rem' }}>
          Key id (64 hex digits, from <code>headprep keys show</code>)
          <input name="key" defaultValue={raw} pattern="[0-9a-fA-F]{64}" placeholder="e.g. 3f1c…" style={{ width: '100%' }} />
        </label>
        <button type="submit">Look up</button>
      </form>
      {raw && !valid && (
        <p className="notice" role="alert">
          A key id is 64 hexadecimal digits (the SHA-256 of the raw public key). Run <code>npx headprep keys show</code>.
        </p>
      )}
      {valid && !status && (
        <p className="notice" role="status" data-testid="key-status">
          No key with id <span className="mono">{raw}</span> is registered here. Register it with{' '}
          <code>npx headprep keys register --site {origin}</code>.
        </p>
      )}
      {status && (
        <div className="card" data-testid="key-status" style={{ marginTop: '1rem' }}>
          <dl className="kv small">
            <dt>Key</dt>
            <dd className="mono">{status.id}</dd>
            <dt>Name</dt>
            <dd>{status.name ?? '—'}</dd>
            <dt>Status</dt>
            <dd>
              <TrustBadge tier={status.status} />{' '}
              {status.status === 'pending'
                ? 'waiting for a maintainer; results are stored, not ranked'
                : status.status === 'approved'
                  ? 'results are ranked'
                  : 'revoked: new results are refused'}
            </dd>
            <dt>Registered</dt>
            <dd>{status.created_at}</dd>
            <dt>Results</dt>
            <dd>{status.results}</dd>
          </dl>
        </div>
      )}
    </>
  );
}
