/**
 * Bundle files on disk. Names are deterministic from the cell:
 *   <suite>@<v>__<backbone>__<dataset>__<strategy>__tau<tau>__seed<seed>__<fingerprint[0:12]>.bundle.json
 * (+ .envelope.json when signed). Every file is written atomically (tmp + rename), so a crash or
 * Ctrl-C leaves either the whole file or none.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suiteSlug, parseResultBundleBytes, type CellConfig, type ResultBundle, shortId } from '../../contract';

export function bundleBaseName(cfg: CellConfig, fingerprint: string): string {
  return [
    suiteSlug(cfg.suite),
    cfg.backbone.id,
    cfg.dataset.id,
    cfg.strategy.id,
    `tau${cfg.tau}`,
    `seed${cfg.seed}`,
    shortId(fingerprint),
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

/**
 * The files named, plus every file whose name ends with one of `suffixes` in the named directories
 * and all their subfolders (the README's layout is runs/<suite>/), in name order. Hidden folders
 * (".git", ".tmp") and symlinked folders are not entered. A path that does not exist is a problem.
 */
export async function findFiles(paths: string[], suffixes: string[]): Promise<{ files: string[]; problems: string[] }> {
  const files: string[] = [];
  const problems: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name));
      else if (e.isFile() && suffixes.some((s) => e.name.endsWith(s))) files.push(join(dir, e.name));
    }
  };
  for (const p of paths) {
    try {
      if ((await stat(p)).isDirectory()) await walk(p);
      else files.push(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : (code ?? (e as Error).message)}`);
    }
  }
  return { files, problems };
}

/**
 * One line that says what is wrong with a file that is not a valid bundle, naming the file: a
 * truncated file says so, a signed envelope says it is one, schema problems name the fields.
 */
export function bundleProblem(file: string, bytes: Uint8Array, parsed: Exclude<ReturnType<typeof parseResultBundleBytes>, { ok: true }>): string {
  if (parsed.code === 'utf8') return `${file}: not a result bundle (not UTF-8 text)`;
  if (parsed.code === 'json') {
    const detail = parsed.issues[0]?.message.replace(/^payload is not JSON: /, '') ?? '';
    const text = new TextDecoder().decode(bytes).trimEnd();
    if (text.length === 0) return `${file}: the file is empty (not a result bundle)`;
    const truncated = /end of (JSON )?input|Unterminated|Expected .* after/i.test(detail) || !/[}\]]$/.test(text);
    return truncated
      ? `${file}: the file is truncated (not valid JSON: ${detail}); delete it and rerun the cell (headprep run ... --resume) or copy it again`
      : `${file}: not valid JSON (${detail})`;
  }
  try {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (json && typeof json === 'object' && 'payloadType' in json && 'signatures' in json)
      return `${file}: this is a signed envelope, not a result bundle; check it with "headprep verify ${file}"`;
  } catch {
    /* fall through to the schema issues */
  }
  const fields = parsed.issues.slice(0, 3).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
  return `${file}: not a valid result bundle: ${fields}`;
}

/** Reads every *.bundle.json in the given files and directories (and their subfolders). */
export async function readBundles(paths: string[]): Promise<{ bundles: ResultBundle[]; problems: string[] }> {
  const bundles: ResultBundle[] = [];
  const { files, problems } = await findFiles(paths, ['.bundle.json']);
  for (const f of files) {
    const bytes = new Uint8Array(await readFile(f));
    const parsed = parseResultBundleBytes(bytes);
    if (parsed.ok) bundles.push(parsed.value);
    else problems.push(bundleProblem(f, bytes, parsed));
  }
  return { bundles, problems };
}
