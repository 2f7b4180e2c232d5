/**
 * Suite registry of the runner: the published suite versions of contract/suites (one JSON file
 * each, the same files the site reads), plus any a caller registers for itself (tests). Cards:
 * docs/suites/<name>.md.
 */
import { formatIssues, PUBLISHED_SUITES, SuiteSchema, suiteSlug, type Suite } from '../../../contract';
import { nearMatches, UnknownIdError } from '../../lib/registry';

const suites = new Map<string, Suite>();

/** "name@version" of a suite. */
export const suiteRef = suiteSlug;

export function registerSuite(suite: Suite): Suite {
  const parsed = SuiteSchema.safeParse(suite);
  if (!parsed.success) throw new Error(`suite ${suiteRef(suite)}: ${formatIssues(parsed.error)}`);
  const ref = suiteRef(suite);
  if (suites.has(ref)) throw new Error(`suite "${ref}" is already registered`);
  suites.set(ref, parsed.data);
  return parsed.data;
}

/**
 * Suites whose datasets and backbone need a download (and a GPU in practice): their pieces are
 * loaded (dynamic import: TensorFlow.js stays out of `headprep suites`) and registered by
 * registerSuitePieces before planning or running, and listSuites() (whose suites must plan offline,
 * as in CI) leaves them out.
 */
const ON_DEMAND: Record<string, () => Promise<void>> = {
  'cifar10-transfer': async () => (await import('./cifar10-transfer')).registerCifarTransfer(),
};

/** Registers the datasets and backbones a suite needs beyond the built-in registries (idempotent). */
export async function registerSuitePieces(name: string): Promise<void> {
  await ON_DEMAND[name]?.();
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
  return [...suites.values()].filter((s) => !ON_DEMAND[s.name]).sort((a, b) => suiteRef(a).localeCompare(suiteRef(b)));
}

for (const s of PUBLISHED_SUITES) registerSuite(s);
