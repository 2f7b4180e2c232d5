/**
 * Accumulates wall time per named phase: `clock.time('eval', () => ...)` or start/stop pairs.
 * Seconds, from performance.now(); work done by an asynchronous backend is only counted where the
 * timed code reads its result back (data() / dataSync), which every runner phase does.
 */
export class PhaseClock<P extends string> {
  private readonly totals = new Map<P, number>();

  time<T>(phase: P, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.add(phase, (performance.now() - t0) / 1000);
    }
  }

  async timeAsync<T>(phase: P, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.add(phase, (performance.now() - t0) / 1000);
    }
  }

  add(phase: P, seconds: number): void {
    this.totals.set(phase, (this.totals.get(phase) ?? 0) + seconds);
  }

  get(phase: P): number {
    return this.totals.get(phase) ?? 0;
  }
}
