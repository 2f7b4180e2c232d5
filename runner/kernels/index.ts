/**
 * Custom tfjs kernels for the wasm backend (docs/engineering.md, 'TensorFlow.js backends in
 * Node': Conv2DBackpropFilter is missing, BatchMatMul with transposes and Conv2DBackpropInput are
 * slow; Identity, same-dtype Cast, Transpose and Sum/Mean over middle axes copied, transposed or
 * indexed element by element; HeadprepSgdUpdate is the runner's own fused optimiser step; mean-grad.ts replaces Mean's
 * gradient). runner/train/backend.ts calls registerWasmKernels() once after the wasm backend is
 * ready; each kernel is checked against the `cpu` backend or, where it promises bit-identity,
 * against the stock kernel in test/runner/kernels.
 *
 * Kernels are registered on the tfjs-core instance that `@tensorflow/tfjs` re-exports (the one the
 * runner and tfjs-backend-wasm use; test/runner/kernels checks there is only one). Replacing an
 * existing kernel keeps the original's setup/dispose functions and calls the original for the
 * cases it already does fast. Calling this twice is harmless.
 *
 * Returns the names of the kernels it registered (recorded for diagnostics).
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { makeBatchMatMul, makeFusedMatMul } from './batch-mat-mul';
import { makeConv2DBackpropFilter, makeConv2DBackpropInput } from './conv2d-backprop';
import { makeCast } from './cast';
import { makeIdentity } from './identity';
import { makeMaxPoolGrad } from './max-pool-grad';
import { registerMeanGrad, unregisterMeanGrad } from './mean-grad';
import { makeMean, makeSum } from './reduce';
import { makeSgdUpdate, SGD_UPDATE } from './sgd-update';
import { makeTile } from './tile';
import { makeTranspose } from './transpose';

const MARK = Symbol.for('headprep.wasmKernel');
type Marked = KernelFunc & { [MARK]?: KernelFunc | null };

/** kernel name -> builder given the stock kernel function (undefined when wasm lacks it). */
const KERNELS: Record<string, (original: KernelFunc | undefined) => KernelFunc> = {
  Cast: (o) => makeCast(required(o, 'Cast')),
  BatchMatMul: (o) => makeBatchMatMul(required(o, 'BatchMatMul')),
  _FusedMatMul: (o) => makeFusedMatMul(required(o, '_FusedMatMul')),
  Conv2DBackpropFilter: () => makeConv2DBackpropFilter(),
  Conv2DBackpropInput: (o) => makeConv2DBackpropInput(required(o, 'Conv2DBackpropInput')),
  Identity: (o) => makeIdentity(required(o, 'Identity')),
  Mean: (o) => makeMean(required(o, 'Mean')),
  MaxPoolGrad: (o) => makeMaxPoolGrad(required(o, 'MaxPoolGrad')),
  [SGD_UPDATE]: () => makeSgdUpdate(),
  Sum: (o) => makeSum(required(o, 'Sum')),
  Tile: (o) => makeTile(required(o, 'Tile')),
  Transpose: (o) => makeTranspose(required(o, 'Transpose')),
};

function required(k: KernelFunc | undefined, name: string): KernelFunc {
  if (!k) throw new Error(`stock wasm kernel '${name}' not found: is @tensorflow/tfjs-backend-wasm 4.22 imported?`);
  return k;
}

export function registerWasmKernels(): string[] {
  registerMeanGrad();
  const names: string[] = [];
  for (const [name, build] of Object.entries(KERNELS)) {
    const existing: KernelConfig | undefined = getKernel(name, 'wasm');
    if (existing && MARK in (existing.kernelFunc as Marked)) {
      names.push(name); // already ours
      continue;
    }
    const original = existing?.kernelFunc;
    const fn = build(original) as Marked;
    fn[MARK] = original ?? null;
    if (existing) unregisterKernel(name, 'wasm');
    registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn, setupFunc: existing?.setupFunc, disposeFunc: existing?.disposeFunc });
    names.push(name);
  }
  return names;
}

/** Restores the stock wasm kernels (for before/after benchmarks and tests). */
export function unregisterWasmKernels(): void {
  unregisterMeanGrad();
  for (const name of Object.keys(KERNELS)) {
    const k = getKernel(name, 'wasm');
    if (!k || !(MARK in (k.kernelFunc as Marked))) continue;
    const original = (k.kernelFunc as Marked)[MARK];
    unregisterKernel(name, 'wasm');
    if (original) registerKernel({ ...k, kernelFunc: original });
  }
}
