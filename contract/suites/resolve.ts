/**
 * How a suite file becomes a Suite: `extends` resolved (objects merge key by key, arrays and
 * scalars replace), then validated. Kept apart from index.ts so that scripts/suite-index.ts can
 * check the files on disk before the generated import list (index.generated.ts) is written.
 */
import { z } from 'zod';
import { formatIssues } from '../errors';
import { suiteSlug } from '../ids';
import { SuiteSchema, type Suite } from '../schemas/config';
import { claimsProblems } from '../ranking/claims-spec';

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
