// `node --import ./test/runner/_helpers/no-webgpu.mjs ...`: any import of the webgpu packages fails
// with NO_WEBGPU (test/runner/train/webgpu-lazy.test.ts: the CPU path never loads them).
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'webgpu' || specifier.startsWith('@tensorflow/tfjs-backend-webgpu'))
    throw new Error('NO_WEBGPU: ' + specifier + ' imported from ' + context.parentURL);
  return next(specifier, context);
}`));
