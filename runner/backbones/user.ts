/**
 * User backbones: any tfjs LayersModel from a file or URL, listed in <config dir>/backbones.json
 * (written by `headprep backbones add`) and registered on first registry use:
 *   [{ "id": "my-net", "source": "https://.../model.json", "feature_layer": "features",
 *      "input_shape": [28, 28, 1], "sha256": "<weights sha256, optional>", "description": "..." }]
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { IdSchema, Sha256HexSchema } from '../../contract';
import { writeAtomic } from '../lib/bundle-files';
import { configDir } from '../lib/paths';
import { layersModelBackbone } from './layers-model';
import type { BackboneDef } from './types';

export const UserBackboneSchema = z
  .object({
    id: IdSchema,
    source: z.string().min(1).describe('Path or http(s) URL of model.json.'),
    feature_layer: z.string().min(1).describe('Layer whose output is z.'),
    input_shape: z.array(z.number().int().min(1)).min(1).describe('Per-example input shape.'),
    sha256: Sha256HexSchema.optional(),
    description: z.string().max(500).optional(),
  })
  .strict();
export type UserBackbone = z.infer<typeof UserBackboneSchema>;

export function userBackbonesFile(): string {
  return join(configDir(), 'backbones.json');
}

function parse(text: string, file: string): UserBackbone[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const r = z.array(UserBackboneSchema).safeParse(json);
  if (!r.success)
    throw new Error(`${file}: ${r.error.issues.slice(0, 3).map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`);
  return r.data;
}

/** The user's backbones as registry entries ([] when the file does not exist). */
export function loadUserBackbones(): BackboneDef[] {
  const file = userBackbonesFile();
  if (!existsSync(file)) return [];
  return parse(readFileSync(file, 'utf8'), file).map((u) =>
    layersModelBackbone({ id: u.id, source: u.source, featureLayer: u.feature_layer, inputShape: u.input_shape, sha256: u.sha256, description: u.description }),
  );
}

/** Adds (or replaces) one entry in the user's backbones.json. */
export async function saveUserBackbone(entry: UserBackbone): Promise<string> {
  const file = userBackbonesFile();
  const list = existsSync(file) ? parse(await readFile(file, 'utf8'), file) : [];
  const next = [...list.filter((b) => b.id !== entry.id), UserBackboneSchema.parse(entry)];
  await mkdir(dirname(file), { recursive: true });
  await writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return file;
}
