import type { Metadata } from 'next';
import { openApiDocument } from '../_server/openapi';
import { siteOrigin } from '../_server/site-origin';
import { DataTable } from '../_components/data-table';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'API — HeadPrep' };

type Json = Record<string, unknown>;
interface Param {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
}
interface Operation {
  summary?: string;
  description?: string;
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>;
  security?: unknown[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** "ResultSummary" from {$ref: '#/components/schemas/ResultSummary'}, a short type otherwise. */
function schemaName(s: Json | undefined): string | null {
  if (!s) return null;
  if (typeof s.$ref === 'string') return s.$ref.split('/').at(-1)!;
  if (s.type === 'array' && s.items) return `${schemaName(s.items as Json) ?? 'item'}[]`;
  if (Array.isArray(s.allOf)) return (s.allOf as Json[]).map(schemaName).filter(Boolean).join(' + ') || 'object';
  if (s.type === 'object' && s.properties) return `{ ${Object.keys(s.properties as Json).join(', ')} }`;
  return typeof s.type === 'string' ? s.type : null;
}

const anchor = (method: string, path: string) => `${method}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;

/** /api: the OpenAPI document (app/_server/openapi.ts, served raw at /api/openapi.json) rendered as a page. */
export default async function ApiDocsPage() {
  const origin = await siteOrigin();
  const doc = openApiDocument(origin) as { info: { title: string; version: string; description: string }; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m]! })));
  return (
    <>
      <h1>{doc.info.title}</h1>
      <p>{doc.info.description}</p>
      <p className="small">
        Base URL <code>{origin}</code> · OpenAPI 3.1 document: <a href="/api/openapi.json">/api/openapi.json</a> (for code generators and
        Swagger/Redoc) · JSON Schemas of the wire types: <code>/api/schema/&lt;name&gt;</code>. Admin endpoints need{' '}
        <code>Authorization: Bearer $ADMIN_TOKEN</code>.
      </p>
      <nav aria-label="Endpoints" className="api-index">
        <ul>
          {ops.map(({ path, method, op }) => (
            <li key={anchor(method, path)}>
              <a href={`#${anchor(method, path)}`}>
                <span className={`http-method ${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
              </a>{' '}
              <span className="muted small">{op.summary}</span>
            </li>
          ))}
        </ul>
      </nav>
      {ops.map(({ path, method, op }) => (
        <section key={anchor(method, path)} id={anchor(method, path)} className="api-op" data-testid="api-operation">
          <h2>
            <span className={`http-method ${method}`}>{method.toUpperCase()}</span> <code className="api-path">{path}</code>
          </h2>
          {op.summary && <p>
            <strong>{op.summary}</strong>
            {op.security ? <span className="badge warn"> admin token</span> : null}
          </p>}
          {op.description && <p className="explain">{op.description}</p>}
          {op.parameters && op.parameters.length > 0 && (
            <DataTable className="small cards-sm" columns={['Parameter', 'In', 'Required', 'Description']}>
              {op.parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`}>
                  <td data-label="Parameter">
                    <code>{p.name}</code>
                  </td>
                  <td data-label="In">{p.in}</td>
                  <td data-label="Required">{p.required ? 'yes' : 'no'}</td>
                  <td data-label="Description">{p.description}</td>
                </tr>
              ))}
            </DataTable>
          )}
          {op.requestBody?.content && (
            <p className="small">
              Body:{' '}
              {Object.entries(op.requestBody.content).map(([type, c]) => (
                <span key={type}>
                  <code>{type}</code> {schemaName(c.schema) ?? ''}
                </span>
              ))}
            </p>
          )}
          {op.responses && (
            <dl className="kv small api-responses">
              {Object.entries(op.responses).map(([code, r]) => (
                <div key={code} style={{ display: 'contents' }}>
                  <dt>
                    <code>{code}</code>
                  </dt>
                  <dd>
                    {r.description}
                    {r.content &&
                      Object.values(r.content)
                        .map((c) => schemaName(c.schema))
                        .filter(Boolean)
                        .map((n) => (
                          <span key={n} className="muted">
                            {' '}
                            → <code>{n}</code>
                          </span>
                        ))}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      ))}
      <h2 id="schemas">Schemas</h2>
      <dl className="kv small">
        {Object.entries(doc.components.schemas).map(([name, s]) => (
          <div key={name} style={{ display: 'contents' }}>
            <dt>
              <code>{name}</code>
            </dt>
            <dd>{typeof s.description === 'string' ? s.description : schemaName(s)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
