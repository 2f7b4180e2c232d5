/**
 * Native resources a command must let go of before the process can exit (the webgpu backend's
 * Dawn device keeps Node's event loop alive: runner/train/webgpu.ts). Modules that hold one
 * register a release function here; the CLI runs them when a command ends (runner/cli.ts).
 * This module imports nothing, so the CPU path pays nothing for it.
 */
type Release = () => void | Promise<void>;
const hooks = new Set<Release>();

export function onRelease(fn: Release): void {
  hooks.add(fn);
}

/** Runs (and forgets) every registered release function; one that throws does not stop the rest. */
export async function runReleaseHooks(): Promise<void> {
  for (const fn of [...hooks]) {
    hooks.delete(fn);
    try {
      await fn();
    } catch {
      // releasing is best effort: the process is ending
    }
  }
}
