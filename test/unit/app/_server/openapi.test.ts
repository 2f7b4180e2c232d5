import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openApiDocument } from '../../../../app/_server/openapi';

vi.mock('server-only', () => ({}));

type Json = Record<string, unknown>;
const doc = openApiDocument('https://headprep.test') as Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

/** Every app/api route file, as an OpenAPI path template. */
function apiRoutes(dir = join(process.cwd(), 'app', 'api'), prefix = '/api'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...apiRoutes(p, `${prefix}/${name.replace(/^\[(.+)\]$/, '{$1}')}`));
    else if (name === 'route.ts') out.push(prefix);
  }
  return out;
}

function refs(v: unknown, acc: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, acc));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') acc.push(x);
      else refs(x, acc);
    }
  return acc;
}

describe('OpenAPI document', () => {
  it('documents every API route', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(apiRoutes().sort());
  });

  it('types every JSON response body: errors are ApiError, nothing is a bare object', () => {
    const bare: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [status, res] of Object.entries(op.responses as Record<string, { content?: Record<string, { schema?: Json }> }>)) {
          const schema = res.content?.['application/json']?.schema ?? res.content?.['application/schema+json']?.schema;
          const where = `${method.toUpperCase()} ${path} ${status}`;
          if (!schema) bare.push(`${where}: no schema`);
          else if (Number(status) >= 400) expect(schema, where).toEqual({ $ref: '#/components/schemas/ApiError' });
          // a JSON Schema and this document are the only answers typed as any object
          else if (schema.type === 'object' && !schema.properties && !['/api/schema/{name}', '/api/openapi.json'].includes(path)) bare.push(`${where}: bare object`);
        }
    expect(bare).toEqual([]);
  });

  it('every $ref resolves, reproductions included', () => {
    for (const r of refs(doc).filter((x) => x.startsWith('#/'))) expect(doc.components.schemas[r.replace('#/components/schemas/', '')], r).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ReproductionStatement', 'ReproductionSummary', 'Comparison', 'MetricComparison']));
    const post = doc.paths['/api/results']!.post!;
    expect(post.description).toMatch(/replay \(200, per-address replay limit\) -> per-key rate limit/);
    expect(Object.keys(post.responses as Json)).toEqual(expect.arrayContaining(['200', '201', '401', '413', '429', '503']));
  });
});
