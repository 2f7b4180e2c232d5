/**
 * Starts the wasm backend in Node: points tfjs-backend-wasm at its own dist/ folder (the .wasm
 * files), selects it and, unless asked not to, registers the custom kernels of this folder.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registerWasmKernels } from './index';

/** Absolute path (with trailing slash) of tfjs-backend-wasm's dist/ folder. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

let pathsSet = false;

/** Makes wasm the active backend; returns the custom kernels registered (none when `stock`). */
export async function useWasmBackend(opts: { stock?: boolean } = {}): Promise<string[]> {
  if (!pathsSet) {
    setWasmPaths(wasmDistDir());
    pathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error(`could not start the tfjs wasm backend from ${wasmDistDir()}`);
  await tf.ready();
  return opts.stock ? [] : registerWasmKernels();
}
