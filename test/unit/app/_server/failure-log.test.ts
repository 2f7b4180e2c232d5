import { describe, expect, it } from 'vitest';
import { createFailureLog, failureLine } from '../../../../app/_server/failure-log';

/** What drizzle throws when a query fails: the SQL and every parameter in the message, the driver's error as the cause. */
function failedQuery(params: string[], cause: Error & { code?: string }): Error {
  return new Error(`Failed query: insert into "results" ("envelope", "contact") values ($1, $2)\nparams: ${params.join(',')}`, { cause });
}

describe('the failure log', () => {
  it('never prints a failed query\'s parameters: the error in words and where it was thrown', () => {
    const envelope = `{"payload":"${'A'.repeat(20_000)}","signatures":[...]}`;
    const e = failedQuery([envelope, 'someone@example.org'], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    const line = failureLine('[api] database unavailable', e);
    expect(line).toMatch(/^\[api\] database unavailable: terminating connection due to administrator command \(57P01\) \(at .+\)$/);
    expect(line).not.toContain('AAAA');
    expect(line).not.toContain('someone@example.org');
    expect(line).not.toContain('params');
    expect(line.length).toBeLessThanOrEqual(500);
  });

  it('prints a repeated failure once and its count with the next line', () => {
    const lines: string[] = [];
    let t = 0;
    const log = createFailureLog((l) => lines.push(l), 10_000, () => t);
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 50; i++) {
      log.failure('[api] database unavailable', failedQuery(['x'], refused()));
      t += 50; // 50 failures in 2.5 s: one outage
    }
    expect(lines).toHaveLength(1);
    t += 20_000;
    log.failure('[api] unexpected error', new TypeError('boom'));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/ECONNREFUSED.*\(repeated 49 more times\)$/);
    expect(lines[2]).toMatch(/^\[api\] unexpected error: TypeError: boom/);
  });
});
