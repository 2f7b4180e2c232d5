/**
 * Suite registry: `name@version` -> Suite (validated against the contract's SuiteSchema when
 * registered). Cards: docs/suites/<name>.md. Other files may register suites (the CNN suite).
 */
import { formatIssues, SuiteSchema, type Suite } from '../../../contract';
import { nearMatches, UnknownIdError } from '../../lib/registry';
import { digitsMlpSuite } from './digits-mlp';
import { cifar10TransferSuite, registerCifarTransfer } from './cifar10-transfer';
import { digitsTransferSuite } from './digits-transfer';
import { syntheticLinearSuite } from './synthetic-linear';
import { tinySuite } from './tiny';

const suites = new Map<string, Suite>();

export function suiteRef(s: { name: string; version: number }): string {
  return `${s.name}@${s.version}`;
}

export function registerSuite(suite: Suite): Suite {
  const parsed = SuiteSchema.safeParse(suite);
  if (!parsed.success) throw new Error(`suite ${suiteRef(suite)}: ${formatIssues(parsed.error)}`);
  const ref = suiteRef(suite);
  if (suites.has(ref)) throw new Error(`suite "${ref}" is already registered`);
  suites.set(ref, parsed.data);
  return parsed.data;
}

/** Looks up "name@version", or "name" for its latest version. */
export function getSuite(ref: string): Suite {
  const hit = suites.get(ref);
  if (hit) return hit;
  const lazy = ON_DEMAND[ref] ?? ON_DEMAND[`${ref}@1`];
  if (lazy) return registerSuite(lazy());
  if (!ref.includes('@')) {
    const versions = [...suites.values()].filter((s) => s.name === ref).sort((a, b) => b.version - a.version);
    if (versions[0]) return versions[0];
  }
  const near = nearMatches(ref, suites.keys());
  throw new UnknownIdError(
    `unknown suite "${ref}".${near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''} Known: ${[...suites.keys()].sort().join(', ')}`,
  );
}

/**
 * Suites that need a network and a GPU (issue 4): `getSuite` resolves them by name and registers
 * them then; until then they are not in listSuites(), whose suites must plan offline (CI).
 */
const ON_DEMAND: Record<string, () => Suite> = {
  'cifar10-transfer@1': () => {
    registerCifarTransfer(); // its cifar-10-0-4 / cifar-10-5-9 datasets and cnn-cifar backbone
    return cifar10TransferSuite;
  },
};

export function listSuites(): Suite[] {
  return [...suites.values()].sort((a, b) => suiteRef(a).localeCompare(suiteRef(b)));
}

registerSuite(tinySuite);
registerSuite(syntheticLinearSuite);
registerSuite(digitsMlpSuite);
registerSuite(digitsTransferSuite);
