/**
 * Progress on stderr: a redrawn bar (cells done/total, the current cell's epochs, ETA) when stderr
 * is a TTY, plain lines otherwise (CI logs, pipes). No dependencies.
 */

export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const m = Math.floor(s / 60);
  const sec = Math.round(s % 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(sec).padStart(2, '0')}`;
}

export function bar(done: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'-'.repeat(width - n)}]`;
}

export class Progress {
  private done = 0;
  private readonly t0 = Date.now();
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

  /** ETA from the mean time per finished cell so far. */
  eta(): number {
    if (this.done === 0) return NaN;
    const per = (Date.now() - this.t0) / 1000 / this.done;
    return per * (this.total - this.done);
  }

  private line(): string {
    return `cells ${bar(this.done, this.total)} ${this.done}/${this.total}  elapsed ${formatDuration((Date.now() - this.t0) / 1000)}  ETA ${formatDuration(this.eta())}  ${this.detail}`;
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
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${message}\n`);
      this.draw();
    } else {
      this.stream.write(`[${this.done}/${this.total} ETA ${formatDuration(this.eta())}] ${message}\n`);
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
