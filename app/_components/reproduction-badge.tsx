import type { ReproductionSummary } from '../../db/queries/reproductions';

/**
 * "reproduced by N keys" / "disputed by N keys" (distinct approved keys other than the submitter's),
 * linking to the result page's reproductions list. Renders nothing when no reproduction counts.
 */
export function ReproductionBadge({ resultId, items }: { resultId: string; items: ReproductionSummary[] }) {
  const counting = items.filter((r) => r.counts);
  const ok = new Set(counting.filter((r) => r.verdict !== 'differs').map((r) => r.key_id)).size;
  const bad = new Set(counting.filter((r) => r.verdict === 'differs').map((r) => r.key_id)).size;
  if (!ok && !bad) return null;
  const keys = (n: number) => `${n} key${n === 1 ? '' : 's'}`;
  return (
    <a href={`/results/${resultId}#reproductions`} data-testid="reproduction-badge">
      {ok > 0 && <span className="badge ok">reproduced by {keys(ok)}</span>}
      {bad > 0 && <span className="badge bad">disputed by {keys(bad)}</span>}
    </a>
  );
}
