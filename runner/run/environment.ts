import { cpus, release, type } from 'node:os';
import type { Environment } from '../../contract';
import type { BackendInfo } from '../train/backend';
import { tf } from '../train/tf';
import { gitSha, RUNNER_VERSION } from '../version';

/** The environment block of every bundle (docs/engineering.md, 'The environment block'). */
export function environmentOf(backend: BackendInfo): Environment {
  const c = cpus();
  return {
    runner_version: RUNNER_VERSION,
    git_sha: gitSha(),
    tfjs_version: tf.version_core,
    backend: backend.name,
    node: process.version,
    os: `${type()} ${release()} ${process.arch}`.slice(0, 128),
    cpu: `${c[0]?.model?.trim() ?? 'unknown cpu'} x${c.length}`.slice(0, 256),
    gpu:
      backend.name === 'webgpu' && backend.adapter
        ? `${backend.adapter.device || backend.adapter.description || 'WebGPU adapter'}${backend.adapter.software ? ' (software)' : ''} via WebGPU/${backend.adapter.api}`.slice(0, 256)
        : backend.nativePackage === '@tensorflow/tfjs-node-gpu'
          ? 'CUDA GPU via @tensorflow/tfjs-node-gpu'
          : null,
    ...(backend.name === 'webgpu' && backend.adapter ? { gpu_adapter: { ...backend.adapter } } : {}),
  };
}
