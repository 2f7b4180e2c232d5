/** Peak resident memory over a window (sampled at every training step). */
export class PeakRss {
  private peak = 0;
  constructor() {
    this.sample();
  }
  sample(): void {
    const r = process.memoryUsage.rss();
    if (r > this.peak) this.peak = r;
  }
  /** Merge a peak measured elsewhere (e.g. the shared HP phase). */
  include(bytes: number): void {
    if (bytes > this.peak) this.peak = bytes;
  }
  get bytes(): number {
    return this.peak;
  }
  get mb(): number {
    return this.peak / (1024 * 1024);
  }
}
