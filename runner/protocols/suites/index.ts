/**
 * Suite registry of the runner: the published suite versions of contract/suites (one JSON file
 * each, the same files the site reads), plus any a caller registers for itself (tests). Cards:
 * docs/suites/<name>.md.
 */
import { formatIssues, PUBLISHED_SUITES, SuiteSchema, suiteSlug, type Suite } from '../../../contract';
import type { BackboneDef } from '../../backbones/types';
import type { DatasetDef } from '../../datasets/types';
import { nearMatches, UnknownIdError } from '../../lib/registry';

const suites = new Map<string, Suite>();

export function registerSuite(suite: Suite): Suite {
  const parsed = SuiteSchema.safeParse(suite);
  if (!parsed.success) throw new Error(`suite ${suiteSlug(suite)}: ${formatIssues(parsed.error)}`);
  const ref = suiteSlug(suite);
  if (suites.has(ref)) throw new Error(`suite "${ref}" is already registered`);
  suites.set(ref, parsed.data);
  return parsed.data;
}

/**
 * Suites whose datasets and backbone need a download (and a GPU in practice): their pieces are
 * loaded (dynamic import: TensorFlow.js stays out of `headprep suites`) and registered by
 * registerSuitePieces before planning or running, and listSuites() (whose suites must plan offline,
 * as in CI) leaves them out; listAllSuites() has them. What they need is said in contract/suites/needs.ts.
 */
const ON_DEMAND: Record<string, () => Promise<{ datasets: DatasetDef[]; backbones: BackboneDef[] }>> = {
  'cifar10-transfer': async () => {
    const [{ cifarSourceDataset, cifarTargetDataset }, { cnnCifarBackbone }, { resnet18CifarBackbone }] = await Promise.all([
      import('../../datasets/cifar-subsets'),
      import('../../backbones/cnn-cifar'),
      import('../../backbones/resnet18'),
    ]);
    return { datasets: [cifarSourceDataset, cifarTargetDataset], backbones: [cnnCifarBackbone, resnet18CifarBackbone] };
  },
};
const piecesRegistered = new Set<string>();

/** Registers the datasets and backbones a suite needs beyond the built-in registries (idempotent). */
export async function registerSuitePieces(name: string): Promise<void> {
  const load = ON_DEMAND[name];
  if (!load || piecesRegistered.has(name)) return;
  // The registries load TensorFlow.js: imported here, not at the top, so `headprep suites` stays light.
  const [{ datasets, backbones }, { registerDataset }, { registerBackbone }] = await Promise.all([load(), import('../../datasets/index'), import('../../backbones/index')]);
  if (piecesRegistered.has(name)) return;
  piecesRegistered.add(name);
  datasets.forEach((d) => registerDataset(d));
  backbones.forEach((b) => registerBackbone(b));
}

/** Registers the pieces of every on-demand suite (`backbones pretrain cnn-cifar | resnet18-cifar`). */
export async function registerAllSuitePieces(): Promise<void> {
  for (const name of Object.keys(ON_DEMAND)) await registerSuitePieces(name);
}

/** Looks up "name@version", or "name" for its latest version. */
export function getSuite(ref: string): Suite {
  const hit = suites.get(ref) ?? (ref.includes('@') ? undefined : latest(ref, [...suites.values()]));
  if (hit) return hit;
  const near = nearMatches(ref, suites.keys());
  throw new UnknownIdError(
    `unknown suite "${ref}".${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} Known: ${[...suites.keys()].sort().join(', ')}`,
  );
}

function latest(name: string, all: Suite[]): Suite | undefined {
  return all.filter((s) => s.name === name).sort((a, b) => b.version - a.version)[0];
}

/** Suites that plan offline (every published one but those in ON_DEMAND), by name@version. */
export function listSuites(): Suite[] {
  return listAllSuites().filter((s) => !ON_DEMAND[s.name]);
}

/** Every registered suite, the ON_DEMAND ones included (`headprep suites`: the same list as the site's), by name@version. */
export function listAllSuites(): Suite[] {
  return [...suites.values()].sort((a, b) => suiteSlug(a).localeCompare(suiteSlug(b)));
}

/** Whether a suite's pieces are loaded on demand (they need a download; contract SUITE_NEEDS says what). */
export function isOnDemandSuite(name: string): boolean {
  return name in ON_DEMAND;
}

for (const s of PUBLISHED_SUITES) registerSuite(s);
