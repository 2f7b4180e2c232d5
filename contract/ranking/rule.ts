/**
 * The ranking rule of a cell in words: the one text that `headprep report --help`, the site's
 * pages and the API description show, so the prose cannot drift from itself. The rule itself is
 * code (./cells.ts, ./max-t.ts); docs/science.md ("Statistics of a ranking") derives it.
 */
export const RANKING_RULE =
  'Per (backbone, dataset) cell, strategies are ranked 1, 2, 3, ... by mean test accuracy at the best-validation epoch over seeds ' +
  '(95% Student-t interval). Every strategy of a seed shares the head init, the data split and the data order, so strategies are ' +
  'compared paired by seed: the difference to the leader is the mean of the per-seed differences. Whether a difference is real is ' +
  'decided by a within-seed permutation max-T test over every pair of strategies: when all strategies are equal, the chance of ' +
  "calling any one worse than the leader is at most 5%, the data's choice of the leader included. The difference's simultaneous " +
  '95% interval comes from the same permutations, so it excludes 0 exactly when the adjusted p < 0.05. A strategy not ' +
  "significantly worse than the leader ties it: a marker, not a rank. hp-tau's tau* is chosen once per cell on mean VALIDATION " +
  'accuracy among the interior taus (tau 0 is ft, the largest tau is lp-ft), so no run is scored twice. One result counts per ' +
  '(protocol fingerprint, seed): a rerun is a reproduction, not another seed.';

/** `text` broken at spaces into lines of at most `width` characters (a longer word stands alone), each after `indent`. */
export function wrapText(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}
