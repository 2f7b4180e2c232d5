/**
 * Any tfjs LayersModel (model.json + weight files) from a local path or an http(s) URL, cut at a
 * named feature layer. URL models are cached under <cache>/backbones/<id>/. Register one with
 * registerBackbone(layersModelBackbone({...})).
 */
import { join } from 'node:path';
import { sha256HexSync } from '../../lib/sha256';
import { fetchCached } from '../lib/download';
import { cacheDir } from '../lib/paths';
import { tf } from '../train/tf';
import { readSavedModel, type SavedModel } from './io';
import type { BackboneDef } from './types';

export interface LayersModelSpec {
  id: string;
  /** Path or http(s) URL of model.json; weight paths resolve relative to it. */
  source: string;
  featureLayer: string;
  inputShape: number[];
  description?: string;
  /** Expected sha256 of the concatenated weight bytes; checked when given. */
  sha256?: string;
  datasets?: string[];
}

async function fromUrl(spec: LayersModelSpec): Promise<SavedModel> {
  const dir = join(cacheDir(), 'backbones', spec.id);
  const jsonBytes = await fetchCached(spec.source, { cachePath: join(dir, 'model.json') });
  const modelJson = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
  if (!Array.isArray(modelJson.weightsManifest)) throw new Error(`${spec.source}: not a tfjs LayersModel model.json`);
  const parts: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest)
    for (const p of group.paths) parts.push(await fetchCached(new URL(p, spec.source).toString(), { cachePath: join(dir, p) }));
  const weightData = new Uint8Array(Buffer.concat(parts));
  return { modelJson, weightData, sha256: sha256HexSync(weightData) };
}

export function layersModelBackbone(spec: LayersModelSpec): BackboneDef {
  let memo: SavedModel | null = null;
  return {
    id: spec.id,
    description: spec.description ?? `tfjs LayersModel from ${spec.source} (feature layer "${spec.featureLayer}")`,
    featureLayer: spec.featureLayer,
    inputShape: spec.inputShape,
    datasets: spec.datasets ?? [],
    async resolve() {
      if (memo) return memo;
      const saved = /^https?:\/\//.test(spec.source) ? await fromUrl(spec) : await readSavedModel(spec.source);
      if (spec.sha256 && saved.sha256 !== spec.sha256)
        throw new Error(`backbone ${spec.id}: weights sha256 ${saved.sha256} does not match the expected ${spec.sha256}`);
      memo = saved;
      return saved;
    },
  };
}
