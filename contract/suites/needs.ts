/**
 * What running a published suite needs beyond this repository and a CPU, shared by the runner
 * (`headprep suites`, `headprep run`) and the site (the suite lists), so both say the same. Kept
 * beside the suite files but out of them: a published file never changes (its sha256 is pinned),
 * and what a suite needs can (a mirror, a faster backend). Keyed by suite name: every version of
 * a name uses the same data and backbone. Cards: docs/suites/<name>.md.
 */
export interface SuiteNeeds {
  /** Data fetched over the network once (then cached), e.g. "CIFAR-10 (162 MB, once)". */
  download?: string;
  /** Why a GPU is needed in practice, e.g. "hours per cell on a CPU". */
  gpu?: string;
}

export const SUITE_NEEDS: Readonly<Record<string, SuiteNeeds>> = {
  'cifar10-transfer': {
    download: 'CIFAR-10 (162 MB, once; cached)',
    gpu: 'a GPU in practice (tfjs-node-gpu; a cell takes hours on a CPU)',
  },
};

/** What `name` (or "name@version") needs, or null when a CPU and this repository suffice. */
export function suiteNeeds(ref: string): SuiteNeeds | null {
  return SUITE_NEEDS[ref.replace(/@\d+$/, '')] ?? null;
}

/** One line: "needs a GPU ... and a download: CIFAR-10 (...)", or null. */
export function suiteNeedsText(ref: string): string | null {
  const n = suiteNeeds(ref);
  if (!n) return null;
  const parts = [n.gpu, n.download ? `a download: ${n.download}` : undefined].filter(Boolean);
  return parts.length ? `needs ${parts.join(' and ')}` : null;
}
