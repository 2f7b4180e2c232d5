/**
 * Progress on stderr: a redrawn bar (cells done/total, the current cell's epochs, ETA) when stderr
 * is a TTY, plain lines otherwise (CI logs, pipes). No dependencies.
 */

export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  // round the whole duration first, so 479.6 s is 8:00, never 7:60
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  const sec = whole % 60;
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** "1 cell", "75 cells": `n` and the noun, with an "s" unless n is 1 (or the given plural). */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

export function bar(done: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'-'.repeat(width - n)}]`;
}

export class Progress {
  private done = 0;
  private readonly t0 = Date.now();
  /** When the first cell finished: it carries the one-time costs (backend, backbone, features). */
  private firstDoneAt = 0;
  private detail = '';
  private lastDraw = 0;
  readonly tty: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    tty?: boolean,
  ) {
    this.tty = tty ?? Boolean(stream.isTTY);
  }

  /**
   * ETA from the mean time per cell after the first (which pays for backend start, backbone
   * pretraining and feature caching), shown only once that rate rests on enough cells: at least
   * 2 after the first and a tenth of the run. Before that the line says "ETA estimating".
   */
  eta(now = Date.now()): number {
    const measured = this.done - 1;
    if (measured < Math.max(2, Math.ceil(this.total / 10)) || this.done >= this.total) return this.done >= this.total ? 0 : NaN;
    const per = (now - this.firstDoneAt) / 1000 / measured;
    return per * (this.total - this.done);
  }

  private etaText(): string {
    const eta = this.eta();
    return Number.isFinite(eta) ? `ETA ${formatDuration(eta)}` : 'ETA estimating';
  }

  private line(): string {
    return `cells ${bar(this.done, this.total)} ${this.done}/${this.total}  elapsed ${formatDuration((Date.now() - this.t0) / 1000)}  ${this.etaText()}  ${this.detail}`;
  }

  /** Updates the current-cell detail (e.g. "hp-tau tau=4 seed=0 epoch 3/10"); redraws at most 10x/s. */
  update(detail: string): void {
    this.detail = detail;
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw();
  }

  private draw(): void {
    const cols = this.stream.columns || 120;
    this.stream.write(`\r\x1b[2K${this.line().slice(0, cols - 1)}`);
  }

  /** A cell finished: `message` is printed as its own line. */
  cellDone(message: string): void {
    this.done++;
    if (this.done === 1) this.firstDoneAt = Date.now();
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${message}\n`);
      this.draw();
    } else {
      this.stream.write(`[${this.done}/${this.total} ${this.etaText()}] ${message}\n`);
    }
  }

  /** A line that is not a cell (logs), printed above the bar. */
  log(message: string): void {
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${message}\n`);
      this.draw();
    } else this.stream.write(`${message}\n`);
  }

  finish(): void {
    if (this.tty) this.stream.write(`\r\x1b[2K${this.line()}\n`);
  }
}
