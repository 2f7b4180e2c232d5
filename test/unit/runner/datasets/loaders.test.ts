import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cifar10Dataset, idxDataset, imageFolderDataset } from '../../../../runner/datasets/index';
import { parseIdx, parseTar } from '../../../../runner/datasets/formats';
import { sha256HexSync } from '../../../../lib/sha256';

const cache = mkdtempSync(join(tmpdir(), 'headprep-loaders-'));
process.env.HEADPREP_CACHE_DIR = cache;

function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([head, data]));
}

/** A minimal ustar writer (what `tar` produces) for test archives. */
function tarBytes(files: { name: string; data: Uint8Array }[]): Uint8Array {
  const blocks: Buffer[] = [];
  for (const f of files) {
    const h = Buffer.alloc(512);
    h.write(f.name, 0);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${f.data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, Buffer.from(f.data), Buffer.alloc((512 - (f.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return new Uint8Array(Buffer.concat(blocks));
}

const files = new Map<string, Uint8Array>();
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (!body) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.end(Buffer.from(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

function idxFixture(n: number, seedByte: number) {
  const img = new Uint8Array(n * 784).map((_, i) => (i * 7 + seedByte) % 256);
  const lab = new Uint8Array(n).map((_, i) => i % 10);
  return { images: idxBytes([n, 28, 28], img), labels: idxBytes([n], lab), img, lab };
}

describe('IDX loader (MNIST / Fashion-MNIST format)', () => {
  it('downloads gz and raw IDX files into the cache, verifies sha256, splits train/val from train and test from test', async () => {
    const tr = idxFixture(40, 1);
    const te = idxFixture(12, 2);
    const put = (name: string, b: Uint8Array) => {
      files.set(`/idx/${name}`, b);
      return { url: `${base}/idx/${name}`, sha256: sha256HexSync(b) };
    };
    const def = idxDataset({
      id: 'test-idx',
      description: 'test',
      nClasses: 10,
      defaultSizes: { n_train: 20, n_val: 10, n_test: 12 },
      trainImages: put('train-images.gz', new Uint8Array(gzipSync(tr.images))),
      trainLabels: put('train-labels', tr.labels),
      testImages: put('test-images.gz', new Uint8Array(gzipSync(te.images))),
      testLabels: put('test-labels', te.labels),
    });
    const ds = await def.load({ seed: 0, n_train: 20, n_val: 10, n_test: 12 });
    expect(ds.inputShape).toEqual([28, 28, 1]);
    expect(ds.train.n).toBe(20);
    expect(ds.test.y).toEqual(Int32Array.from(te.lab));
    expect(ds.test.x[5]).toBeCloseTo(te.img[5]! / 255, 6);
    // cached: with the server emptied, a fresh loader still works from the cache dir
    const copy = new Map(files);
    files.clear();
    const fresh = idxDataset({
      id: 'test-idx',
      description: 'test',
      nClasses: 10,
      defaultSizes: { n_train: 20, n_val: 10, n_test: 12 },
      trainImages: { url: `${base}/idx/train-images.gz`, sha256: sha256HexSync(copy.get('/idx/train-images.gz')!) },
      trainLabels: { url: `${base}/idx/train-labels`, sha256: sha256HexSync(tr.labels) },
      testImages: { url: `${base}/idx/test-images.gz`, sha256: sha256HexSync(copy.get('/idx/test-images.gz')!) },
      testLabels: { url: `${base}/idx/test-labels`, sha256: sha256HexSync(te.labels) },
    });
    const cached = await fresh.load({ seed: 0, n_train: 20, n_val: 10, n_test: 12 });
    expect(cached.train.x).toEqual(ds.train.x);
    for (const [k, v] of copy) files.set(k, v);
  });

  it('rejects a sha256 mismatch and explains offline failures with the URL and the cache path', async () => {
    const tr = idxFixture(4, 3);
    files.set('/bad/train-images', tr.images);
    const mk = (url: string) =>
      idxDataset({
        id: 'test-idx-bad',
        description: 'test',
        nClasses: 10,
        defaultSizes: { n_train: 2, n_val: 1, n_test: 1 },
        trainImages: { url, sha256: '0'.repeat(64) },
        trainLabels: { url, sha256: '0'.repeat(64) },
        testImages: { url, sha256: '0'.repeat(64) },
        testLabels: { url, sha256: '0'.repeat(64) },
      });
    await expect(mk(`${base}/bad/train-images`).load({ seed: 0, n_train: 2, n_val: 1, n_test: 1 })).rejects.toThrow(/sha256 mismatch: expected 0{64}/);
    const dead = 'http://127.0.0.1:9/nothing/train-images.gz';
    await expect(mk(dead).load({ seed: 0, n_train: 2, n_val: 1, n_test: 1 })).rejects.toThrow(
      new RegExp(`could not download ${dead.replace(/[.]/g, '\\.')} .*place it at ${join(cache, 'datasets', 'test-idx-bad', 'train-images.gz').replace(/[.]/g, '\\.')}`),
    );
  });

  it('rejects malformed IDX files with a clear message', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4]), 'x')).toThrow(/bad magic/);
    expect(() => parseIdx(idxBytes([3], new Uint8Array(2)), 'x')).toThrow(/expected 3 data bytes/);
  });
});

describe('CIFAR-10 binary loader', () => {
  it('reads data_batch_1..5 and test_batch from a tar.gz, channel-major records to HWC', async () => {
    const record = (label: number, v: number) => {
      const r = new Uint8Array(3073);
      r[0] = label;
      r.fill(v, 1, 1025); // R
      r.fill(255 - v, 1025, 2049); // G
      r.fill(7, 2049, 3073); // B
      return r;
    };
    const batch = (k: number) => new Uint8Array(Buffer.concat([0, 1, 2].map((i) => Buffer.from(record((k + i) % 10, 10 * k + i)))));
    const entries = [1, 2, 3, 4, 5].map((k) => ({ name: `cifar-10-batches-bin/data_batch_${k}.bin`, data: batch(k) }));
    entries.push({ name: 'cifar-10-batches-bin/test_batch.bin', data: batch(0) });
    const archive = new Uint8Array(gzipSync(tarBytes(entries)));
    expect(parseTar(archive).map((e) => e.name)).toHaveLength(6);
    files.set('/cifar/cifar-10-binary.tar.gz', archive);
    const def = cifar10Dataset({
      id: 'test-cifar',
      description: 'test',
      defaultSizes: { n_train: 10, n_val: 5, n_test: 3 },
      archive: { url: `${base}/cifar/cifar-10-binary.tar.gz`, sha256: sha256HexSync(archive) },
    });
    const ds = await def.load({ seed: 1, n_train: 10, n_val: 5, n_test: 3 });
    expect(ds.inputShape).toEqual([32, 32, 3]);
    expect([...ds.test.y]).toEqual([0, 1, 2]);
    expect(ds.test.x[0]).toBeCloseTo(0, 6); // R of test record 0 (v = 0)
    expect(ds.test.x[1]).toBeCloseTo(1, 6); // G = 255 - 0
    expect(ds.test.x[3072 + 2]).toBeCloseTo(7 / 255, 6); // B of record 1
    expect(ds.train.n + ds.val.n).toBe(15);
  });
});

describe('image-folder loader (PNG + JPEG)', () => {
  it('reads <class>/ folders from a directory and from a downloaded .tar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headprep-imgs-'));
    const entries: { name: string; data: Uint8Array }[] = [];
    for (const [ci, cls] of ['cat', 'dog'].entries())
      for (let i = 0; i < 4; i++) {
        let bytes: Uint8Array;
        const v = ci === 0 ? 40 : 200;
        if (i % 2 === 0) {
          const png = new PNG({ width: 4, height: 4 });
          png.data.fill(v);
          for (let p = 3; p < png.data.length; p += 4) png.data[p] = 255;
          bytes = new Uint8Array(PNG.sync.write(png));
        } else {
          const data = Buffer.alloc(4 * 4 * 4, v);
          bytes = new Uint8Array(jpeg.encode({ data, width: 4, height: 4 }, 100).data);
        }
        const name = `${cls}/img${i}.${i % 2 === 0 ? 'png' : 'jpg'}`;
        mkdirSync(join(dir, cls), { recursive: true });
        writeFileSync(join(dir, name), bytes);
        entries.push({ name, data: bytes });
      }
    const spec = { description: 't', classes: ['cat', 'dog'], height: 4, width: 4, channels: 1 as const, defaultSizes: { n_train: 4, n_val: 2, n_test: 2 } };
    const local = await imageFolderDataset({ ...spec, id: 'test-folder', source: dir }).load({ seed: 0, n_train: 4, n_val: 2, n_test: 2 });
    expect(local.nClasses).toBe(2);
    expect(local.inputShape).toEqual([4, 4, 1]);
    for (let i = 0; i < local.train.n; i++) {
      const px = local.train.x[i * 16]!;
      expect(Math.abs(px - (local.train.y[i] === 0 ? 40 : 200) / 255)).toBeLessThan(0.03); // JPEG is lossy
    }
    const tar = tarBytes(entries);
    files.set('/imgs/pets.tar', tar);
    const remote = imageFolderDataset({ ...spec, id: 'test-folder', source: `${base}/imgs/pets.tar`, sha256: sha256HexSync(tar) });
    const r = await remote.load({ seed: 0, n_train: 4, n_val: 2, n_test: 2 });
    expect(r.train.x).toEqual(local.train.x);
    expect(() => imageFolderDataset({ ...spec, id: 'x', source: `${base}/imgs/pets.tar` })).toThrow(/pinned sha256/);
    writeFileSync(join(dir, 'cat', 'big.png'), PNG.sync.write(new PNG({ width: 5, height: 4 })));
    await expect(imageFolderDataset({ ...spec, id: 'test-folder2', source: dir }).load({ seed: 0, n_train: 4, n_val: 2, n_test: 2 })).rejects.toThrow(
      /cat\/big.png is 5x4, expected 4x4/,
    );
  });
});
