/**
 * `headprep suites | backbones | datasets`: list the registries; `backbones pretrain <id>`.
 * The registries are imported inside each verb, and the backbone registry, the planner and the
 * backend (all TensorFlow.js) only where they are used, so `suites` and `datasets` start fast.
 */
import { unknownChoice, usageError } from '../lib/args';
import { CliError } from '../lib/cli-error';
import { defineCommand } from './define';
import type { Command } from './types';

const suitesUsage = `Usage: headprep suites [--cells]

Lists every published suite (name@version, pairs, strategies, seeds), the same list as the site's;
a suite that needs a GPU or a download says so. Cards: docs/suites/<name>.md.
  --cells     also count the cells and list the protocol fingerprints (resolves backbones: may
              pretrain; not for suites that need a download, whose cells are only counted)
  -h, --help  show this help`;

export const suitesCommand: Command = defineCommand(
  { name: 'suites', summary: 'list every published suite (and what each needs to run)', usage: suitesUsage, options: { cells: { type: 'boolean' } } },
  async ({ values }) => {
    const [{ listAllSuites, isOnDemandSuite }, { suiteSlug, suiteNeedsText }] = await Promise.all([import('../protocols/suites/index'), import('../../contract')]);
    let backend: import('../train/backend').BackendInfo | undefined;
    for (const s of listAllSuites()) {
      const taus = s.grid.strategies
        .map((x) => `${x.strategy.id}[${x.taus.join(',')}]${x.eta !== undefined ? `(eta ${x.eta})` : ''}${x.temperature !== undefined ? `(T ${x.temperature})` : ''}`)
        .join(' ');
      const needs = suiteNeedsText(s.name);
      console.log(
        `${suiteSlug(s)}${needs ? `  [${needs}]` : ''}\n  ${s.description}\n  pairs: ${s.grid.pairs.map((p) => `${p.backbone}/${p.dataset}`).join(', ')}\n  strategies: ${taus}\n  seeds: ${s.grid.seeds.join(',')}`,
      );
      if (values.cells) {
        if (isOnDemandSuite(s.name)) {
          const n = s.grid.pairs.length * s.grid.strategies.reduce((k, x) => k + x.taus.length, 0) * s.grid.seeds.length;
          console.log(`  cells: ${n} (protocol fingerprints need the downloaded data and backbone: headprep run ${suiteSlug(s)} resolves them)`);
          continue;
        }
        const [{ planCells }, { fingerprint }, { initBackend }] = await Promise.all([import('../run/plan'), import('../../contract'), import('../train/backend')]);
        backend ??= await initBackend('auto');
        const cells = await planCells(s, { backend });
        const fps = new Set(await Promise.all(cells.map((c) => fingerprint(c))));
        console.log(`  cells: ${cells.length} (${fps.size} protocol fingerprints)`);
      }
    }
    console.log(
      '\nstrategy[taus]: the head-probing epochs (tau) each strategy runs at, one cell per tau and seed; (eta x) = label smoothing,\n(T x) = logit temperature while probing. Cards: docs/strategies/<id>.md and docs/suites/<name>.md; the statistics: docs/science.md.',
    );
    return 0;
  },
);

const datasetsUsage = `Usage: headprep datasets

Lists the registered datasets with their classes, input shape and default split sizes.
  -h, --help  show this help`;

export const datasetsCommand: Command = defineCommand({ name: 'datasets', summary: 'list the registered datasets', usage: datasetsUsage, options: {} }, async () => {
  const { listDatasets } = await import('../datasets/index');
  for (const d of listDatasets()) {
    const s = d.defaultSizes;
    console.log(`${d.id.padEnd(20)} K=${d.nClasses} input [${d.inputShape.join(',')}] train/val/test ${s.n_train}/${s.n_val}/${s.n_test}\n  ${d.description}`);
  }
  return 0;
});

const backbonesUsage = `Usage: headprep backbones [list]
       headprep backbones pretrain <id> [--force] [--backend auto|webgpu|wasm|cpu|tensorflow]
       headprep backbones add <id> <model.json path | URL> --feature-layer <name> --input-shape <h,w,c>

list      the registered backbones (feature layer, input shape, intended datasets)
pretrain  build the backbone's weights into the cache dir now (they are also built on first use)
          and print their sha256; --force rebuilds even when cached. mlp-digits pretrains on the cpu
          backend whatever --backend says, so its sha256 is identical on every machine.
add       register any tfjs LayersModel (model.json + weight files, local or http(s)) as a backbone,
          cut at --feature-layer; it is loaded once, its weights sha256 pinned, and the entry saved
          in <config dir>/backbones.json.
  -h, --help  show this help`;

const BACKBONE_SUBCOMMANDS = ['list', 'pretrain', 'add'];

export const backbonesCommand: Command = defineCommand(
  {
    name: 'backbones',
    summary: 'list backbones, or pretrain one into the cache',
    usage: backbonesUsage,
    options: { force: { type: 'boolean' }, backend: { type: 'string', default: 'auto' }, 'feature-layer': { type: 'string' }, 'input-shape': { type: 'string' } },
  },
  async ({ values, positionals }) => {
    const sub = positionals[0] ?? 'list';
    if (!BACKBONE_SUBCOMMANDS.includes(sub)) throw unknownChoice('subcommand', sub, BACKBONE_SUBCOMMANDS, backbonesUsage);
    const { getBackbone, instantiateBackbone, layersModelBackbone, listBackbones } = await import('../backbones/index');
    const { initBackend } = await import('../train/backend');
    if (sub === 'list') {
      let all;
      try {
        all = listBackbones();
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      for (const b of all)
        console.log(`${b.id.padEnd(14)} feature layer "${b.featureLayer}", input [${b.inputShape.join(',')}], for ${b.datasets.join(', ') || '-'}\n  ${b.description}`);
      return 0;
    }
    if (sub === 'pretrain') {
      const id = positionals[1];
      if (!id) throw usageError(`backbones pretrain needs a backbone id`, backbonesUsage);
      let def;
      try {
        def = getBackbone(id);
      } catch {
        // The backbones of on-demand suites (cifar10-transfer: cnn-cifar, resnet18-cifar) register with their suite's pieces.
        await (await import('../protocols/suites/index')).registerAllSuitePieces();
        try {
          def = getBackbone(id);
        } catch (again) {
          throw new CliError((again as Error).message);
        }
      }
      await initBackend(values.backend as 'auto');
      const t0 = Date.now();
      const saved = await def.resolve({ force: values.force ?? false, log: (l) => console.error(l) }).catch((e: Error) => {
        throw new CliError(`${id}: ${e.message}`);
      });
      console.log(`${id}: sha256 ${saved.sha256} (${saved.weightData.byteLength} weight bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return 0;
    }
    if (sub === 'add') {
      const [, id, source] = positionals;
      const layer = values['feature-layer'];
      const shape = (values['input-shape'] ?? '').split(',').map((x) => Number(x.trim()));
      if (!id || !source || !layer) throw usageError(`backbones add needs <id> <source> --feature-layer <name>`, backbonesUsage);
      if (!shape.length || shape.some((x) => !Number.isInteger(x) || x < 1))
        throw new CliError(`--input-shape: expected comma-separated positive integers such as 28,28,1, got "${values['input-shape'] ?? ''}"`);
      await initBackend(values.backend as 'auto');
      const def = layersModelBackbone({ id, source, featureLayer: layer, inputShape: shape });
      let saved;
      try {
        saved = await def.resolve();
        (await instantiateBackbone(saved, layer)).dispose();
      } catch (e) {
        throw new CliError(`${source}: ${(e as Error).message}`);
      }
      const { saveUserBackbone } = await import('../backbones/user');
      const file = await saveUserBackbone({ id, source, feature_layer: layer, input_shape: shape, sha256: saved.sha256 }).catch((e: Error) => {
        throw new CliError(e.message);
      });
      console.log(`added backbone ${id} (feature layer "${layer}", weights sha256 ${saved.sha256}) to ${file}`);
      return 0;
    }
    throw unknownChoice('subcommand', sub, BACKBONE_SUBCOMMANDS, backbonesUsage);
  },
);
