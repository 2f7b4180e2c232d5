/**
 * cnn-digits pretraining is reproducible (its weights' sha256 enters every cell fingerprint): it
 * always runs on wasm with the custom kernels, so a reduced recipe gives the same bytes twice and
 * whichever backend was active before, which it restores.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CNN_DIGITS_RECIPE, pretrainCnnDigits } from '../../../runner/backbones/cnn-digits';

describe('cnn-digits pretraining', () => {
  it('gives bit-identical weights whatever backend is active, and restores it', async () => {
    const recipe = { ...CNN_DIGITS_RECIPE, epochs: 1, n_train: 256 };
    await tf.setBackend('cpu');
    const a = await pretrainCnnDigits(recipe);
    expect(tf.getBackend()).toBe('cpu');
    await tf.setBackend('wasm');
    const b = await pretrainCnnDigits(recipe);
    expect(tf.getBackend()).toBe('wasm');
    expect(b.saved.sha256).toBe(a.saved.sha256);
    expect(a.saved.weightData.length).toBeGreaterThan(100_000); // ~28k float32 parameters
    const c = await pretrainCnnDigits({ ...recipe, seed: 1 });
    expect(c.saved.sha256).not.toBe(a.saved.sha256);
  });
});
