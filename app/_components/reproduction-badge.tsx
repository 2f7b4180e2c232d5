import type { ReproducingIdentities } from '../../contract';

/**
 * "reproduced by N independent identities" / "disputed by N independent identities" (distinct
 * identities other than the submitter's, approved), naming them, linking to the result page's
 * reproductions list. Renders nothing when no reproduction counts.
 */
export function ReproductionBadge({ resultId, identities }: { resultId: string; identities: ReproducingIdentities }) {
  const ok = identities.reproduced_by;
  const bad = identities.disputed_by;
  if (!ok.length && !bad.length) return null;
  const n = (k: number) => `${k} independent ${k === 1 ? 'identity' : 'identities'}`;
  const names = (l: { name: string }[]) => l.map((x) => x.name).join(', ');
  return (
    <a href={`/results/${resultId}#reproductions`} data-testid="reproduction-badge">
      {ok.length > 0 && (
        <span className="badge ok" title={names(ok)}>
          reproduced by {n(ok.length)}
        </span>
      )}
      {bad.length > 0 && (
        <span className="badge bad" title={names(bad)}>
          disputed by {n(bad.length)}
        </span>
      )}
    </a>
  );
}
