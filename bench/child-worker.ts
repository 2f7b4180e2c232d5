/**
 * Benchmarks that open a database or the site's server modules run their work in a child process
 * (`node --conditions=react-server --import tsx <bench file> <flag> [arg]`), so every measurement
 * starts from a fresh process and the parent's module graph stays small. The child prints one JSON
 * line, last: its result, or `{error}`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs `file` (an import.meta.url) as a child with `args` and resolves to the JSON of its last line;
 * rejects with the child's error, or with the tail of its output (named by `label`) when that line
 * is not JSON.
 */
export function runChildWorker<T>(file: string, args: string[], label: string, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', fileURLToPath(file), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        reject(new Error(`${label} exited ${code}: ${out.slice(-500)}`));
        return;
      }
      const error = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { error?: unknown }).error : undefined;
      if (error !== undefined) reject(new Error(String(error)));
      else resolve(parsed as T);
    });
  });
}

/**
 * The child's side: when this process was started with `flag`, runs `work` on the argument after it,
 * prints the result (or `{error}` with the stack) as the last line and exits 0 (or 1).
 */
export function serveChildWorker<T>(flag: string, work: (arg: string | undefined) => Promise<T>): void {
  const at = process.argv.indexOf(flag);
  if (at < 0) return;
  work(process.argv[at + 1]).then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (e: unknown) => {
      console.log(JSON.stringify({ error: String((e as Error)?.stack ?? e).slice(0, 2000) }));
      process.exit(1);
    },
  );
}

/** The q-quantile of ascending `sorted` (the value at index floor(q n)); NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
