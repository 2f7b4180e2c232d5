import { z } from 'zod';
import { CellConfigSchema, SuiteSchema } from './schemas/config';
import { ResultBundleSchema } from './schemas/bundle';
import { ApiErrorSchema, DsseEnvelopeSchema, KeyRegistrationSchema } from './schemas/envelope';
import { ReproductionStatementSchema } from './reproduction';

export const SCHEMA_BASE_URL = 'https://headprep.dev/schemas';

const SCHEMAS = {
  'cell-config': CellConfigSchema,
  suite: SuiteSchema,
  'result-bundle': ResultBundleSchema,
  'dsse-envelope': DsseEnvelopeSchema,
  'key-registration': KeyRegistrationSchema,
  'api-error': ApiErrorSchema,
  'reproduction-statement': ReproductionStatementSchema,
} as const;
export type SchemaName = keyof typeof SCHEMAS;
export const SCHEMA_NAMES = Object.keys(SCHEMAS) as SchemaName[];

/** JSON Schema (draft 2020-12) of every wire type, keyed by name; served at /api/schema/[name]. */
export function jsonSchemas(): Record<SchemaName, Record<string, unknown>> {
  const out = {} as Record<SchemaName, Record<string, unknown>>;
  for (const name of SCHEMA_NAMES) {
    out[name] = {
      $id: `${SCHEMA_BASE_URL}/${name}.schema.json`,
      ...(z.toJSONSchema(SCHEMAS[name], { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >),
    };
  }
  return out;
}
