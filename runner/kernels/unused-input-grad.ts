/**
 * Skipping input gradients nobody reads. tfjs-core's fused conv2d (what a Conv2D layer with a bias
 * runs) computes its gradients eagerly, the input's included, so the first convolution of a
 * network backpropagates into the input batch on every step although nothing reads that gradient
 * (PyTorch skips it because the batch does not require grad). For cnn-digits that was 2 ms of a
 * 29 ms step.
 *
 * `withUnusedInputGradients(filters, fn)` runs fn while the wasm Conv2DBackpropInput answers a
 * zero tensor of the right shape for a convolution whose filter is one of `filters` (matched by
 * the filter's data buffer: tfjs saves the filter for the backward pass with Identity, which
 * shares the buffer here, identity.ts). The caller promises that those convolutions' inputs
 * depend on no trained variable, so their gradient is discarded by the tape
 * (`inputOnlyConvFilters` in train/loops.ts finds them). Outside fn, or when the buffer does not
 * match, the gradient is computed as usual.
 */
import type { TensorInfo } from '@tensorflow/tfjs';

const unused = new Set<object>();

export function withUnusedInputGradients<T>(filters: readonly { dataId: object }[], fn: () => T): T {
  const added = filters.map((f) => f.dataId).filter((id) => !unused.has(id));
  for (const id of added) unused.add(id);
  try {
    return fn();
  } finally {
    for (const id of added) unused.delete(id);
  }
}

/** True while the input gradient of a convolution with this filter is known to be unused. */
export function inputGradientUnused(filter: TensorInfo): boolean {
  return unused.size > 0 && unused.has(filter.dataId);
}
