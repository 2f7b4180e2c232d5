/**
 * `next start` (the production build in .next/) on a free 127.0.0.1 port, for benchmarks that
 * measure the site over HTTP. The caller chooses the database through `env` and stops the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Whether a production build exists (`npx next build`). */
export function hasProductionBuild(): boolean {
  return existsSync(join(ROOT, '.next', 'BUILD_ID'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface NextServer {
  base: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `next start` with `env` on top of process.env and waits for /api/health (`timeoutS`,
 * 60 s by default; a first start that seeds the database needs longer).
 */
export async function startNextServer(env: Record<string, string>, timeoutS = 60): Promise<NextServer> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS: node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < timeoutS * 5; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { base, proc, stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`next start did not answer /api/health within ${timeoutS} s`);
}
