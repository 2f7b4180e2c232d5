/**
 * Backbone registry: the built-in backbones (mlp-digits, linear, cnn-digits, registered at the end
 * of this file), the user's backbones.json entries (loaded on first lookup), and those a suite
 * loads on demand (cnn-cifar, runner/protocols/suites/index.ts registerSuitePieces) through
 * registerBackbone(def). Duplicate ids throw, unknown ids list near matches.
 */
import { Registry } from '../lib/registry';
import { tf } from '../train/tf';
import { cnnDigitsBackbone } from './cnn-digits';
import { instantiateModel, type SavedModel } from './io';
import { linearBackbone } from './linear';
import { mlpDigitsBackbone } from './mlp-digits';
import type { BackboneDef } from './types';
import { loadUserBackbones, userBackbonesFile } from './user';

const registry = new Registry<BackboneDef>('backbone');
let userLoaded = false;

/** Registers the user's backbones.json entries once (lazily, so a bad file only fails when used). */
function withUser(): Registry<BackboneDef> {
  if (!userLoaded) {
    userLoaded = true;
    for (const def of loadUserBackbones()) {
      if (registry.has(def.id)) throw new Error(`${userBackbonesFile()}: backbone id "${def.id}" is already a built-in backbone; choose another id`);
      registry.register(def);
    }
  }
  return registry;
}

export function registerBackbone(def: BackboneDef): BackboneDef {
  return registry.register(def);
}
export function getBackbone(id: string): BackboneDef {
  return withUser().get(id);
}
export function listBackbones(): BackboneDef[] {
  return withUser().list();
}

export interface BackboneModel {
  /** x -> z (the feature layer's output). */
  model: tf.LayersModel;
  featDim: number;
  dispose(): void;
}

/** A fresh backbone (its own variables) cut at `featureLayer`. */
export async function instantiateBackbone(saved: SavedModel, featureLayer: string): Promise<BackboneModel> {
  const full = await instantiateModel(saved);
  let model = full;
  const outName = full.outputs[0]?.sourceLayer.name;
  if (outName !== featureLayer) {
    let layer: tf.layers.Layer;
    try {
      layer = full.getLayer(featureLayer);
    } catch {
      full.dispose();
      throw new Error(`backbone has no layer "${featureLayer}" (layers: ${full.layers.map((l) => l.name).join(', ')})`);
    }
    model = tf.model({ inputs: full.inputs, outputs: layer.output as tf.SymbolicTensor });
  }
  const shape = model.outputs[0]!.shape;
  const featDim = shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  if (shape.length !== 2)
    throw new Error(`feature layer "${featureLayer}" must output [batch, h] (got ${JSON.stringify(shape)}); add a Flatten layer`);
  return { model, featDim, dispose: () => full.dispose() };
}

registerBackbone(mlpDigitsBackbone);
registerBackbone(linearBackbone);
registerBackbone(cnnDigitsBackbone);

export type { BackboneDef } from './types';
export { layersModelBackbone } from './layers-model';
