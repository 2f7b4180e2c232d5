/**
 * tfjs LayersModel files without tfjs-node: a model.json + weights.bin pair written and read with
 * node:fs (the file:// handler lives in tfjs-node, which this machine cannot install). The format is
 * the standard tfjs Layers format, so `tf.loadLayersModel('https://.../model.json')` in a browser
 * reads the same files.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256HexSync } from '../../lib/sha256';
import { tf } from '../train/tf';

export interface SavedModel {
  /** The parsed model.json. */
  modelJson: tf.io.ModelJSON;
  /** Concatenated weight bytes in manifest order. */
  weightData: Uint8Array;
  /** SHA-256 of weightData (the backbone sha256 of the contract). */
  sha256: string;
}

function joinWeights(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data as ArrayBuffer | ArrayBuffer[]));
}

/** Serialises a model in memory (model.json contents + weight bytes). */
export async function serializeModel(model: tf.LayersModel): Promise<SavedModel> {
  let out: SavedModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (art) => {
      const weightData = joinWeights(art.weightData);
      out = {
        modelJson: {
          modelTopology: art.modelTopology as object,
          format: art.format ?? 'layers-model',
          generatedBy: art.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs ?? [] }],
        },
        weightData,
        sha256: sha256HexSync(weightData),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('model.save produced no artifacts');
  return out;
}

async function atomicWrite(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** Writes model.json + weights.bin into `dir` (atomically per file). */
export async function writeSavedModel(dir: string, saved: SavedModel): Promise<void> {
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, 'weights.bin'), saved.weightData);
  await atomicWrite(join(dir, 'model.json'), JSON.stringify(saved.modelJson));
}

/** Reads a model.json and the weight files its manifest names (paths relative to model.json). */
export async function readSavedModel(modelJsonPath: string): Promise<SavedModel> {
  const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest))
    throw new Error(`${modelJsonPath}: not a tfjs LayersModel model.json (needs modelTopology and weightsManifest)`);
  const parts: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest)
    for (const p of group.paths) parts.push(new Uint8Array(await readFile(join(dirname(modelJsonPath), p))));
  const weightData = Buffer.concat(parts);
  return { modelJson, weightData: new Uint8Array(weightData), sha256: sha256HexSync(weightData) };
}

/** A fresh LayersModel from saved artifacts (new variables each call). */
export async function instantiateModel(saved: SavedModel): Promise<tf.LayersModel> {
  const weightSpecs = saved.modelJson.weightsManifest.flatMap((g) => g.weights);
  const buf = saved.weightData.buffer.slice(saved.weightData.byteOffset, saved.weightData.byteOffset + saved.weightData.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: saved.modelJson.modelTopology, weightSpecs, weightData: buf as ArrayBuffer }),
  );
}
