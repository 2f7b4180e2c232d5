/**
 * End to end: gradients of a whole CNN loss (conv with strides, maxpool, BatchNorm, dense) on wasm
 * with the custom kernels equal those of the `cpu` backend.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildCnnDigits } from '../../../runner/backbones/cnn-digits';
import { compare, rand } from '../_helpers/kernels';

function lossGrads(model: tf.LayersModel, head: tf.layers.Layer, x: tf.Tensor, y: tf.Tensor): tf.Tensor[] {
  const { value, grads } = tf.variableGrads(() =>
    tf.losses.softmaxCrossEntropy(y, head.apply(model.apply(x, { training: true }) as tf.Tensor) as tf.Tensor) as tf.Scalar,
  );
  const names = Object.keys(grads).sort();
  return [value, ...names.map((n) => grads[n]!)];
}

describe('CNN gradients: wasm (custom kernels) vs cpu', () => {
  it.each([false, true])('cnn-digits, batchNorm=%s', async (batchNorm) => {
    const err = await compare(() => {
      tf.disposeVariables();
      const model = buildCnnDigits({ seed: 3, batchNorm });
      const head = tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), name: 'head' });
      const x = rand([6, 28, 28, 1], 21).abs();
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32'), 5);
      return lossGrads(model, head, x, y);
    });
    expect(err).toBeLessThan(1e-4);
  });

  it('conv -> maxpool -> conv -> avgpool -> dense', async () => {
    const err = await compare(() => {
      tf.disposeVariables();
      const input = tf.input({ shape: [12, 12, 3] });
      let h = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(input) as tf.SymbolicTensor;
      h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: h });
      const head = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) });
      return lossGrads(model, head, rand([4, 12, 12, 3], 22), tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3));
    });
    expect(err).toBeLessThan(1e-4);
  });
});

describe('skipping the first convolution input gradient (kernels/unused-input-grad.ts)', () => {
  it('finds exactly the convolutions fed by weight-free layers', async () => {
    const { inputOnlyConvFilters } = await import('../../../runner/train/loops');
    const { buildMlp } = await import('../../../runner/run/step-timer');
    for (const batchNorm of [false, true]) {
      const model = buildCnnDigits({ seed: 3, batchNorm });
      const convKernels = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.trainableWeights[0]!.read());
      expect(inputOnlyConvFilters(model)).toEqual([convKernels[0]]);
      model.dispose();
    }
    const mlp = buildMlp();
    expect(inputOnlyConvFilters(mlp)).toEqual([]);
    mlp.dispose();
  });

  it.each([false, true])('leaves every weight gradient bit-identical (cnn-digits, batchNorm=%s)', async (batchNorm) => {
    const { useWasmBackend } = await import('../../../runner/kernels/node-wasm');
    const { withUnusedInputGradients } = await import('../../../runner/kernels/unused-input-grad');
    const { inputOnlyConvFilters } = await import('../../../runner/train/loops');
    await useWasmBackend();
    tf.disposeVariables();
    const model = buildCnnDigits({ seed: 3, batchNorm });
    const head = tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), name: 'head' });
    const x = rand([6, 28, 28, 1], 21).abs();
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32'), 5);
    const bits = (ts: tf.Tensor[]) => ts.map((t) => Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer)));
    tf.tidy(() => void lossGrads(model, head, x, y)); // builds the head: every variable exists from here on
    const plain = bits(tf.tidy(() => lossGrads(model, head, x, y)));
    expect(plain.length).toBe(model.trainableWeights.length + 2 + 1);
    const skipped = bits(withUnusedInputGradients(inputOnlyConvFilters(model), () => tf.tidy(() => lossGrads(model, head, x, y))));
    expect(skipped).toEqual(plain);
    tf.dispose([x, y]);
    model.dispose();
  });
});
