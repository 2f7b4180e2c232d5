import { shortId } from '../../contract/ids';

/**
 * What "pending" means and what happens next, said where pending results are shown (home page,
 * key page, result page): a freshly submitted result must not look lost.
 */
export function PendingExplainer({ count, keyId }: { count?: number; keyId?: string }) {
  return (
    <p className="notice" data-testid="pending-explainer">
      {count !== undefined ? (
        <>
          <strong>
            {count} result{count === 1 ? '' : 's'} pending approval.
          </strong>{' '}
        </>
      ) : null}
      Results signed by a key that a maintainer has not approved yet are stored and shown here, marked{' '}
      <span className="badge warn">pending</span>, but are not ranked on the leaderboards. Once the key is approved they
      are ranked at once, with nothing to resubmit. On your own local site, approve your key with{' '}
      <code>ADMIN_TOKEN=&lt;token&gt; npx headprep keys approve {keyId ? shortId(keyId) : '<short id>'} --site &lt;url&gt;</code>{' '}
      or in <a href="/admin">/admin</a>.
    </p>
  );
}
