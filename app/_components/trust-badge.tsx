import type { KeyStatus } from '../../contract';

/** Trust tier badge (the tiers: docs/reproductions.md, "Signed statements and trust tiers"): pending key -> signed -> reproduced | disputed | refuted. */
export function TrustBadge({ tier }: { tier: string }) {
  const cls = tier === 'reproduced' || tier === 'approved' ? 'ok' : tier === 'pending' ? 'warn' : tier === 'disputed' || tier === 'refuted' || tier === 'revoked' ? 'bad' : '';
  return (
    <span className={`badge ${cls}`} title={TRUST_HELP[tier] ?? tier}>
      {tier}
    </span>
  );
}

const TRUST_HELP: Record<string, string> = {
  pending: 'Signed by a key a maintainer has not approved yet: stored, not ranked.',
  signed: 'Signed by an approved key: ranked.',
  reproduced: 'Another identity (a person or lab other than the submitter) reproduced it within tolerance.',
  disputed: 'A reproduction by another identity diverged: still ranked, flagged.',
  refuted: 'Two independent identities found it differs, or a maintainer confirmed the dispute: not ranked.',
  revoked: 'The signing key was revoked: not ranked.',
  approved: 'A maintainer approved this key.',
};

/** What a key's status means for its results, in words (the key page and the /submit key lookup). */
const KEY_STATUS_NOTE: Record<KeyStatus, string> = {
  pending: 'waiting for a maintainer: results are stored, not ranked',
  approved: 'results are ranked',
  revoked: 'revoked: its results are not ranked and new ones are refused',
};

/** A key's status: its badge, then what it means. */
export function KeyStatusNote({ status }: { status: KeyStatus }) {
  return (
    <>
      <TrustBadge tier={status} /> {KEY_STATUS_NOTE[status]}
    </>
  );
}
