/**
 * Every published suite version (the suites table), with how many visible results it holds that
 * are ranked and how many wait for their key's approval: the home page's "All suites" list and the
 * helpful 404 page (through GET /api/suites), so a suite with no results yet is still reachable. It
 * counts over the result rows: readers get it through the read cache (app/_server/read-model.ts).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../types';
import { RANKED_TIERS } from '../schema';
import type { SuiteIndexRow } from '../../contract/api';

export type { SuiteIndexRow };

export async function listSuiteIndex(db: Db): Promise<SuiteIndexRow[]> {
  const ranked = sql.join(RANKED_TIERS.map((t) => sql`${t}`), sql`, `);
  type Row = { name: string; version: number; description: string | null; ranked: number; pending: number };
  const res = await db.execute<Row>(sql`
    select s.name, s.version, s.description,
           count(r.id) filter (where r.trust_tier in (${ranked}))::int as ranked,
           count(r.id) filter (where r.trust_tier = 'pending')::int as pending
      from suites s
      left join results r
        on r.suite_name = s.name and r.suite_version = s.version and not r.hidden
     group by s.name, s.version, s.description
     order by s.name, s.version`);
  return res.rows.map((x) => ({
    name: String(x.name),
    version: Number(x.version),
    description: String(x.description ?? ''),
    ranked: Number(x.ranked),
    pending: Number(x.pending),
  }));
}

/** For a mistyped "name@version": the latest version of a known name, or null. */
export function latestVersionOf(index: SuiteIndexRow[], name: string): number | null {
  const vs = index.filter((s) => s.name === name).map((s) => s.version);
  return vs.length ? Math.max(...vs) : null;
}
