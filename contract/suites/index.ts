/**
 * The published suite versions: one JSON file each, `<name>@<version>.json` beside this module,
 * the ONE source both the runner (what it runs) and the site (what it accepts and ranks) read.
 * A file may `extends` an earlier version ("name@version") and override fields: objects merge
 * key by key, arrays and scalars replace. A published file never changes: a change that can move a
 * score is a new version (test/unit/contract/published-suites.test.ts pins every file's sha256).
 *
 * Adding a version: write the JSON file, import it below, add its sha256 to the pin test, and a
 * card section in docs/suites/<name>.md.
 */
import { z } from 'zod';
import { formatIssues } from '../errors';
import { suiteSlug } from '../ids';
import { SuiteSchema, type Suite } from '../schemas/config';
import { claimsProblems } from '../ranking/claims-spec';
import cifar10Transfer1 from './cifar10-transfer@1.json' with { type: 'json' };
import cifar10Transfer2 from './cifar10-transfer@2.json' with { type: 'json' };
import digitsMlp1 from './digits-mlp@1.json' with { type: 'json' };
import digitsTransfer1 from './digits-transfer@1.json' with { type: 'json' };
import digitsTransfer2 from './digits-transfer@2.json' with { type: 'json' };
import syntheticLinear1 from './synthetic-linear@1.json' with { type: 'json' };
import syntheticLinear2 from './synthetic-linear@2.json' with { type: 'json' };
import syntheticLinear3 from './synthetic-linear@3.json' with { type: 'json' };
import tiny1 from './tiny@1.json' with { type: 'json' };

/** The published files, by file name (name@version.json), as parsed JSON. */
export const SUITE_FILES: Readonly<Record<string, unknown>> = {
  'cifar10-transfer@1.json': cifar10Transfer1,
  'cifar10-transfer@2.json': cifar10Transfer2,
  'digits-mlp@1.json': digitsMlp1,
  'digits-transfer@1.json': digitsTransfer1,
  'digits-transfer@2.json': digitsTransfer2,
  'synthetic-linear@1.json': syntheticLinear1,
  'synthetic-linear@2.json': syntheticLinear2,
  'synthetic-linear@3.json': syntheticLinear3,
  'tiny@1.json': tiny1,
};

/** A suite file: a whole Suite, or `extends` plus the fields that differ. */
export const SuiteFileSchema = z
  .object({
    name: z.string(),
    version: z.number().int().min(1),
    extends: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*@[1-9][0-9]*$/, 'expected "name@version" of an earlier published suite')
      .optional()
      .describe('An earlier published version this one starts from; the fields given here override its fields.'),
  })
  .passthrough();

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars in `over` replace those in `base`. */
export function mergeSuiteFields(base: unknown, over: unknown): unknown {
  if (!isObj(base) || !isObj(over)) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeSuiteFields(out[k], v) : structuredClone(v);
  return out;
}

/**
 * Resolves and validates every file of `files` (name -> parsed JSON). Throws with the file name and
 * the field when a file is malformed, misnamed, or extends a version that is not published.
 */
export function resolveSuiteFiles(files: Readonly<Record<string, unknown>>): Suite[] {
  const raw = new Map<string, z.infer<typeof SuiteFileSchema>>();
  for (const [file, json] of Object.entries(files)) {
    const head = SuiteFileSchema.safeParse(json);
    if (!head.success) throw new Error(`contract/suites/${file}: ${formatIssues(head.error)}`);
    const ref = suiteSlug(head.data);
    if (`${ref}.json` !== file) throw new Error(`contract/suites/${file}: the file of ${ref} must be named ${ref}.json`);
    raw.set(ref, head.data);
  }
  const resolved = new Map<string, Suite>();
  const resolve = (ref: string, chain: string[]): Suite => {
    const done = resolved.get(ref);
    if (done) return done;
    const file = raw.get(ref);
    if (!file) throw new Error(`${chain.at(-1) ?? 'suite'} extends ${ref}, which is not a published suite (published: ${[...raw.keys()].sort().join(', ')})`);
    if (chain.includes(ref)) throw new Error(`suite files extend each other in a cycle: ${[...chain, ref].join(' -> ')}`);
    const { extends: parent, ...own } = file;
    const merged = parent ? mergeSuiteFields(resolve(parent, [...chain, ref]), own) : own;
    const parsed = SuiteSchema.safeParse(merged);
    if (!parsed.success) throw new Error(`contract/suites/${ref}.json${parent ? ` (extends ${parent})` : ''}: ${formatIssues(parsed.error)}`);
    const problems = claimsProblems(parsed.data);
    if (problems.length) throw new Error(`contract/suites/${ref}.json: ${problems.join('; ')}`);
    resolved.set(ref, parsed.data);
    return parsed.data;
  };
  return [...raw.keys()].sort().map((ref) => resolve(ref, []));
}

/** Every published suite version, resolved and validated, sorted by name@version. */
export const PUBLISHED_SUITES: readonly Suite[] = resolveSuiteFiles(SUITE_FILES);

/** A published suite by "name@version", or null. */
export function publishedSuite(ref: string): Suite | null {
  return PUBLISHED_SUITES.find((s) => suiteSlug(s) === ref) ?? null;
}
