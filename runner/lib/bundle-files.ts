/**
 * Bundle files on disk. Names are deterministic from the cell:
 *   <suite>@<v>__<backbone>__<dataset>__<strategy>__tau<tau>__seed<seed>__<fingerprint[0:12]>.bundle.json
 * (+ .envelope.json when signed). Every file is written atomically (tmp + rename), so a crash or
 * Ctrl-C leaves either the whole file or none.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseResultBundleBytes, type CellConfig, type ResultBundle } from '../../contract';

export function bundleBaseName(cfg: CellConfig, fingerprint: string): string {
  return [
    `${cfg.suite.name}@${cfg.suite.version}`,
    cfg.backbone.id,
    cfg.dataset.id,
    cfg.strategy.id,
    `tau${cfg.tau}`,
    `seed${cfg.seed}`,
    fingerprint.slice(0, 12),
  ].join('__');
}

export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** Writes <dir>/<base>.bundle.json atomically; returns its path. */
export async function writeBundle(dir: string, bundle: ResultBundle): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${bundleBaseName(bundle.config, bundle.fingerprint)}.bundle.json`);
  await writeAtomic(file, `${JSON.stringify(bundle, null, 2)}\n`);
  return file;
}

/** Base names of cells in `dir` that already have a valid bundle with status "ok". */
export async function finishedCells(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  if (!existsSync(dir)) return out;
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.bundle.json')) continue;
    const parsed = parseResultBundleBytes(new Uint8Array(await readFile(join(dir, f))));
    if (parsed.ok && parsed.value.status === 'ok') out.add(f.slice(0, -'.bundle.json'.length));
  }
  return out;
}

/** Reads every *.bundle.json under the given files/directories (non-recursive in directories). */
export async function readBundles(paths: string[]): Promise<{ bundles: ResultBundle[]; problems: string[] }> {
  const bundles: ResultBundle[] = [];
  const problems: string[] = [];
  const files: string[] = [];
  for (const p of paths) {
    try {
      const entries = await readdir(p);
      files.push(...entries.filter((f) => f.endsWith('.bundle.json')).sort().map((f) => join(p, f)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') files.push(p);
      else problems.push(`${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  for (const f of files) {
    const parsed = parseResultBundleBytes(new Uint8Array(await readFile(f)));
    if (parsed.ok) bundles.push(parsed.value);
    else problems.push(`${f}: invalid bundle (${parsed.code}) ${parsed.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  return { bundles, problems };
}
