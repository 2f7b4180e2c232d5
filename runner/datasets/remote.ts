/**
 * Datasets downloaded from their home URL into <cache>/datasets/<id>/ with pinned sha256s
 * (offline: DownloadError naming the URL and the cache path). The dataset sha256 of the contract
 * hashes the pinned file sha256s, so planning a suite never needs the network.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sha256HexSync } from '../../lib/sha256';
import { readSource } from '../lib/download';
import { cacheDir } from '../lib/paths';
import { decodeImage, parseCifarBatch, parseIdx, parseTar } from './formats';
import { splitPool } from './split';
import { specSha256, type DatasetDef, type Split, type SplitSizes } from './types';

export interface RemoteFile {
  url: string;
  sha256: string;
}

async function fetchFile(id: string, f: RemoteFile): Promise<Uint8Array> {
  const name = basename(new URL(f.url, 'file:///').pathname) || 'download';
  return readSource(f.url, { sha256: f.sha256, cachePath: join(cacheDir(), 'datasets', id, name) });
}

function idxSplit(images: Uint8Array, labels: Uint8Array, what: string): { split: Split; shape: number[] } {
  const im = parseIdx(images, `${what} images`);
  const lb = parseIdx(labels, `${what} labels`);
  if (im.dims.length !== 3 || lb.dims.length !== 1 || im.dims[0] !== lb.dims[0])
    throw new Error(`${what}: expected images [n,h,w] and labels [n], got [${im.dims.join(',')}] and [${lb.dims.join(',')}]`);
  const n = im.dims[0]!;
  const x = new Float32Array(im.data.length);
  for (let i = 0; i < x.length; i++) x[i] = im.data[i]! / 255;
  return { split: { x, y: Int32Array.from(lb.data), n }, shape: [im.dims[1]!, im.dims[2]!, 1] };
}

export interface IdxSpec {
  id: string;
  description: string;
  nClasses: number;
  defaultSizes: SplitSizes;
  trainImages: RemoteFile;
  trainLabels: RemoteFile;
  testImages: RemoteFile;
  testLabels: RemoteFile;
}

/** An IDX dataset (MNIST layout: train/test images + labels, gz or raw). Test = the shipped test set. */
export function idxDataset(spec: IdxSpec): DatasetDef {
  let pools: { train: Split; test: Split; shape: number[] } | null = null;
  return {
    id: spec.id,
    description: spec.description,
    nClasses: spec.nClasses,
    inputShape: [28, 28, 1],
    defaultSizes: spec.defaultSizes,
    async sha256() {
      return specSha256({ format: 'idx', files: [spec.trainImages, spec.trainLabels, spec.testImages, spec.testLabels].map((f) => f.sha256) });
    },
    async load(opts) {
      if (!pools) {
        const tr = idxSplit(await fetchFile(spec.id, spec.trainImages), await fetchFile(spec.id, spec.trainLabels), `${spec.id} train`);
        const te = idxSplit(await fetchFile(spec.id, spec.testImages), await fetchFile(spec.id, spec.testLabels), `${spec.id} test`);
        pools = { train: tr.split, test: te.split, shape: tr.shape };
      }
      const size = pools.shape.reduce((a, b) => a * b, 1);
      const s = splitPool(spec.id, pools.train, size, opts, pools.test);
      return { id: spec.id, sha256: await this.sha256(), nClasses: spec.nClasses, inputShape: pools.shape, ...s };
    },
  };
}

export interface CifarSpec {
  id: string;
  description: string;
  defaultSizes: SplitSizes;
  archive: RemoteFile;
}

function concatSplits(parts: Split[], size: number): Split {
  const n = parts.reduce((a, p) => a + p.n, 0);
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  let o = 0;
  for (const p of parts) {
    x.set(p.x, o * size);
    y.set(p.y, o);
    o += p.n;
  }
  return { x, y, n };
}

/** CIFAR-10 binary version (cifar-10-binary.tar.gz): data_batch_1..5 train, test_batch test. */
export function cifar10Dataset(spec: CifarSpec): DatasetDef {
  let pools: { train: Split; test: Split } | null = null;
  return {
    id: spec.id,
    description: spec.description,
    nClasses: 10,
    inputShape: [32, 32, 3],
    defaultSizes: spec.defaultSizes,
    async sha256() {
      return specSha256({ format: 'cifar10-binary', files: [spec.archive.sha256] });
    },
    async load(opts) {
      if (!pools) {
        const entries = parseTar(await fetchFile(spec.id, spec.archive), spec.archive.url);
        const find = (name: string) => {
          const e = entries.find((x) => x.name.endsWith(`/${name}`) || x.name === name);
          if (!e) throw new Error(`${spec.archive.url}: archive has no ${name}`);
          return parseCifarBatch(e.data, name);
        };
        pools = {
          train: concatSplits([1, 2, 3, 4, 5].map((i) => find(`data_batch_${i}.bin`)), 3072),
          test: find('test_batch.bin'),
        };
      }
      const s = splitPool(spec.id, pools.train, 3072, opts, pools.test);
      return { id: spec.id, sha256: await this.sha256(), nClasses: 10, inputShape: [32, 32, 3], ...s };
    },
  };
}

export interface ImageFolderSpec {
  id: string;
  description: string;
  /** A local directory, or a local path / http(s) URL of a .tar or .tar.gz archive. */
  source: string;
  /** Pinned sha256 of the archive (required for URLs). */
  sha256?: string;
  /** Class names (folder names) in label order. */
  classes: string[];
  /** Image size every file must have, and channels kept (1 = grey from R, 3 = RGB). */
  height: number;
  width: number;
  channels: 1 | 3;
  defaultSizes: SplitSizes;
}

/**
 * An image-folder dataset: files laid out as [train/|test/]<class>/<name>.(png|jpg|jpeg).
 * With train/ and test/ folders the shipped test split is used; otherwise one pool is split.
 */
export function imageFolderDataset(spec: ImageFolderSpec): DatasetDef {
  const classes = spec.classes;
  let pools: { train: Split; test?: Split } | null = null;
  const size = spec.height * spec.width * spec.channels;
  const isUrl = /^https?:\/\//.test(spec.source);
  if (isUrl && !spec.sha256) throw new Error(`dataset ${spec.id}: a URL source needs a pinned sha256`);

  async function files(): Promise<{ name: string; data: Uint8Array }[]> {
    if (!isUrl && (await stat(spec.source)).isDirectory()) {
      const out: { name: string; data: Uint8Array }[] = [];
      const walk = async (dir: string, rel: string) => {
        for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
          if (e.isDirectory()) await walk(join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
          else out.push({ name: rel ? `${rel}/${e.name}` : e.name, data: new Uint8Array(await readFile(join(dir, e.name))) });
        }
      };
      await walk(spec.source, '');
      return out;
    }
    const archive = await readSource(spec.source, { sha256: spec.sha256, cachePath: join(cacheDir(), 'datasets', spec.id, basename(spec.source)) });
    return parseTar(archive, spec.source);
  }

  function toSplit(items: { cls: string; name: string; data: Uint8Array }[], names: string[]): Split {
    const x = new Float32Array(items.length * size);
    const y = new Int32Array(items.length);
    items.forEach((it, i) => {
      const img = decodeImage(it.data, it.name);
      if (img.width !== spec.width || img.height !== spec.height)
        throw new Error(`dataset ${spec.id}: ${it.name} is ${img.width}x${img.height}, expected ${spec.width}x${spec.height}`);
      for (let p = 0; p < spec.width * spec.height; p++)
        for (let c = 0; c < spec.channels; c++) x[i * size + p * spec.channels + c] = img.rgba[p * 4 + c]! / 255;
      y[i] = names.indexOf(it.cls);
    });
    return { x, y, n: items.length };
  }

  async function content() {
    const all = (await files()).filter((f) => /\.(png|jpe?g)$/i.test(f.name)).sort((a, b) => a.name.localeCompare(b.name));
    const parsed = all.map((f) => {
      const parts = f.name.split('/').filter(Boolean);
      const hasSplit = parts.length >= 3 && (parts.at(-3) === 'train' || parts.at(-3) === 'test');
      return { ...f, cls: parts.at(-2) ?? '', split: hasSplit ? parts.at(-3)! : null };
    });
    if (parsed.some((p) => !p.cls)) throw new Error(`dataset ${spec.id}: images must sit in <class>/ folders`);
    const names = classes;
    for (const p of parsed) if (!names.includes(p.cls)) throw new Error(`dataset ${spec.id}: ${p.name} has unknown class "${p.cls}"`);
    return { parsed, names };
  }

  return {
    id: spec.id,
    description: spec.description,
    nClasses: classes.length,
    inputShape: [spec.height, spec.width, spec.channels],
    defaultSizes: spec.defaultSizes,
    async sha256() {
      if (spec.sha256) return specSha256({ format: 'image-folder', files: [spec.sha256], shape: this.inputShape });
      // a local folder: hash every file name and its bytes
      const folder = sha256HexSync(...(await files()).flatMap((f) => [f.name, f.data]));
      return specSha256({ format: 'image-folder', files: [folder], shape: this.inputShape });
    },
    async load(opts) {
      const { parsed, names } = await content();
      if (!pools) {
        const test = parsed.filter((p) => p.split === 'test');
        pools = { train: toSplit(parsed.filter((p) => p.split !== 'test'), names), test: test.length ? toSplit(test, names) : undefined };
      }
      const s = splitPool(spec.id, pools.train, size, opts, pools.test);
      return { id: spec.id, sha256: await this.sha256(), nClasses: names.length, inputShape: [...this.inputShape], ...s };
    },
  };
}

const CVDF = 'https://storage.googleapis.com/cvdf-datasets/mnist/';
const FASHION = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Real datasets with pinned checksums (sha256s as published by several independent mirrors). */
export const remoteDatasets: DatasetDef[] = [
  idxDataset({
    id: 'mnist-idx',
    description: 'Full MNIST (60k train / 10k test) as IDX files from the CVDF mirror; downloaded into the cache.',
    nClasses: 10,
    defaultSizes: { n_train: 10000, n_val: 5000, n_test: 10000 },
    trainImages: { url: `${CVDF}train-images-idx3-ubyte.gz`, sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609' },
    trainLabels: { url: `${CVDF}train-labels-idx1-ubyte.gz`, sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c' },
    testImages: { url: `${CVDF}t10k-images-idx3-ubyte.gz`, sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6' },
    testLabels: { url: `${CVDF}t10k-labels-idx1-ubyte.gz`, sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6' },
  }),
  idxDataset({
    id: 'fashion-mnist',
    description: 'Fashion-MNIST (60k train / 10k test) IDX files from Zalando Research; downloaded into the cache.',
    nClasses: 10,
    defaultSizes: { n_train: 10000, n_val: 5000, n_test: 10000 },
    trainImages: { url: `${FASHION}train-images-idx3-ubyte.gz`, sha256: '08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc' },
    trainLabels: { url: `${FASHION}train-labels-idx1-ubyte.gz`, sha256: 'b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc' },
    testImages: { url: `${FASHION}t10k-images-idx3-ubyte.gz`, sha256: '78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229' },
    testLabels: { url: `${FASHION}t10k-labels-idx1-ubyte.gz`, sha256: '42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf' },
  }),
  cifar10Dataset({
    id: 'cifar-10',
    description: 'CIFAR-10 binary version (50k train / 10k test, 32x32x3) from the University of Toronto; downloaded into the cache.',
    defaultSizes: { n_train: 10000, n_val: 5000, n_test: 10000 },
    archive: { url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd' },
  }),
];
