/**
 * Packs signed result envelopes into the committed seed files, one gzipped JSON-lines file per
 * suite version (seed/envelopes/<suite>@<v>.jsonl.gz; seed/README.md). Maintainers' tool:
 *
 *   npx tsx scripts/pack-seed.ts runs/digits-transfer@3          # every *.envelope.json below it
 *   npx tsx scripts/pack-seed.ts --check seed/envelopes          # committed files packed as this writes them?
 *
 * Every envelope must verify with a reference key (seed/reference-key*.pub.pem, or --key) and carry
 * a valid ResultBundle; one bad envelope and nothing is written. Envelopes already in the target
 * file (same payload) are kept once, so packing again is harmless.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findFiles } from '../runner/lib/bundle-files';
import { readSeedFile } from '../seed/files';
import { seedConfig } from '../seed/load';
import { checkEnvelope, planPack, referenceKeys, type PackedEnvelope } from '../seed/pack';

const usage = `Usage: npx tsx scripts/pack-seed.ts <dir | file>... [--out <dir>] [--key <pub.pem>]... [--dry-run | --check]

Packs *.envelope.json files (and *.jsonl.gz / *.jsonl seed files) found in the given folders and
files into <out>/<suite>@<v>.jsonl.gz, one file per suite version, merged with what it holds.

Options:
  --out <dir>       where the seed files are (default seed/envelopes)
  --key <pub.pem>   a reference public key (repeatable; default seed/reference-key*.pub.pem)
  --dry-run         say what would be written, write nothing
  --check           exit 1 when a seed file would change (nothing is written)
  -h, --help        show this help`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'seed/envelopes' },
        key: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`pack-seed: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!positionals.length) {
    console.error(`pack-seed: name the envelopes to pack (a folder such as runs/digits-transfer@3)\n\n${usage}`);
    return 2;
  }
  const pems = values.key?.length ? values.key.map((p) => readFileSync(p, 'utf8')) : seedConfig({}).publicKeyPems;
  const keys = await referenceKeys(pems);
  const { files, problems } = await findFiles(positionals, ['.envelope.json', '.jsonl.gz', '.jsonl']);
  // a file named on the command line counts whatever its name (a legacy seed/envelopes/*.json)
  for (const p of positionals) if (p.endsWith('.json') && !p.endsWith('.envelope.json') && !files.includes(p)) files.push(p);
  const envelopes: PackedEnvelope[] = [];
  for (const f of files)
    for (const e of readSeedFile(f).envelopes) {
      const c = await checkEnvelope(e.where, e.bytes, keys);
      if (typeof c === 'string') problems.push(c);
      else envelopes.push(c);
    }
  const out = resolve(values.out);
  const plan = await planPack(envelopes, out, keys);
  problems.push(...plan.problems);
  if (problems.length) {
    for (const p of problems.slice(0, 20)) console.error(p);
    if (problems.length > 20) console.error(`... and ${problems.length - 20} more`);
    console.error(`pack-seed: ${problems.length} problem(s); nothing written`);
    return 1;
  }
  if (!envelopes.length) {
    console.error(`pack-seed: no envelopes found in ${positionals.join(', ')} (looked for *.envelope.json, *.jsonl.gz, *.jsonl)`);
    return 1;
  }
  let stale = 0;
  for (const f of plan.files) {
    const name = relative(process.cwd(), f.path);
    const mb = (f.bytes.length / 1e6).toFixed(2);
    const what = `${name}: ${f.lines.length} envelopes (${f.added} new, ${f.kept} kept, ${f.duplicates} already there), ${mb} MB`;
    if (values.check) {
      if (!f.unchanged) {
        stale++;
        console.error(`stale: ${what}; run: npx tsx scripts/pack-seed.ts ${name}`);
      }
      continue;
    }
    if (f.unchanged) console.log(`${what}: unchanged`);
    else if (values['dry-run']) console.log(`would write ${what}`);
    else {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.bytes);
      console.log(`wrote ${what}`);
    }
  }
  const loose = files.filter((f) => f.endsWith('.json') && resolve(dirname(f)) === out);
  if (loose.length && !values.check)
    console.log(`note: ${loose.length} packed *.json file(s) are still in ${relative(process.cwd(), out) || '.'}; the loader reads them too (skipping the copies): remove them (git rm)`);
  return stale ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
