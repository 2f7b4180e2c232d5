/**
 * `headprep run <site>/api/configs/<fingerprint>`: after a full rerun of a reference config, say
 * where it landed against what the site lists for that config (GET <site>/api/configs: the mean
 * test accuracy over n seeds with its 95% CI). One run is compared with the 95% prediction interval
 * for a single run (contract/prediction-interval.ts), not with the CI of the mean, which is
 * narrower than the spread of single runs.
 */
import { predictionInterval95FromCI } from '../../contract/prediction-interval';
import { ConfigListSchema, shortId, type ReferenceConfigSummary, type ResultBundle } from '../../contract';
import { retryPolicyFromEnv, siteJson } from './site-client';
import { readBundles } from '../lib/bundle-files';

/** One entry of GET /api/configs (contract ReferenceConfigSummary; only what is used here). */
export type SiteReference = Pick<ReferenceConfigSummary, 'id' | 'strategy' | 'n' | 'test_acc'>;

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The lines that compare these runs' test accuracy with the site's reference band. */
export function bandLines(ref: SiteReference, runs: ResultBundle[]): string[] {
  const accs = runs.filter((b) => b.status === 'ok' && b.summary).map((b) => ({ seed: b.config.seed, acc: b.summary!.test_acc }));
  if (!accs.length) return ['expected band: no finished cell to compare'];
  const m = ref.test_acc.mean;
  const pi = predictionInterval95FromCI(m, ref.test_acc, ref.n);
  const out = [
    pi
      ? `expected (site, ${ref.n} seeds): mean test acc ${pct(m)}; 95% CI of the mean ${pct(ref.test_acc.lo)} - ${pct(ref.test_acc.hi)}; 95% prediction interval for one run ${pct(pi.lo)} - ${pct(pi.hi)}`
      : `expected (site, 1 seed): test acc ${pct(m)}; one seed gives no interval, so only the difference is shown`,
  ];
  for (const { seed, acc } of accs) {
    const diff = `${acc >= m ? '+' : ''}${(100 * (acc - m)).toFixed(2)} pp from the mean`;
    const verdict = !pi ? '' : acc >= pi.lo && acc <= pi.hi ? ': INSIDE the expected band' : ': OUTSIDE the expected band (check the backend and versions in the bundle)';
    out.push(`  seed ${seed}: test acc ${pct(acc)} (${diff})${verdict}`);
  }
  return out;
}

/**
 * Fetches the site's reference list for a config URL (<site>/api/configs/<fingerprint>) and
 * compares the bundles in `out` with that fingerprint. Never throws: a site without the entry, or
 * unreachable, gives one line saying so.
 */
export async function expectedBandReport(configUrl: string, out: string): Promise<string[]> {
  const m = /^(https?:\/\/.+)\/api\/configs\/([0-9a-f]{64})(?:[?#].*)?$/.exec(configUrl);
  if (!m) return [];
  const [, site, fp] = m as unknown as [string, string, string];
  try {
    const { configs } = await siteJson(`${site}/api/configs`, ConfigListSchema, { policy: { ...retryPolicyFromEnv(), retries: 0 } });
    const ref = configs.find((c) => c.id === fp);
    if (!ref) return [`expected band: ${site} lists no reference config ${shortId(fp)} any more (not the best of its cell, or hidden)`];
    const { bundles } = await readBundles([out]);
    return bandLines(ref, bundles.filter((b) => b.fingerprint === fp));
  } catch (e) {
    return [`expected band: could not read ${site}/api/configs (${(e as Error).message})`];
  }
}
