/**
 * Backbone registry. Other files register more (runner/kernels' owner adds cnn-digits) with
 * registerBackbone(def); duplicate ids throw, unknown ids list near matches.
 */
import { Registry } from '../lib/registry';
import { tf } from '../train/tf';
import { cnnDigitsBackbone } from './cnn-digits';
import { instantiateModel, type SavedModel } from './io';
import { linearBackbone } from './linear';
import { mlpDigitsBackbone } from './mlp-digits';
import type { BackboneDef } from './types';

const registry = new Registry<BackboneDef>('backbone');

export function registerBackbone(def: BackboneDef): BackboneDef {
  return registry.register(def);
}
export function getBackbone(id: string): BackboneDef {
  return registry.get(id);
}
export function listBackbones(): BackboneDef[] {
  return registry.list();
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
