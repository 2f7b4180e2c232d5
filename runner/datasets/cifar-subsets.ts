/**
 * The two halves of CIFAR-10 that cifar10-transfer uses (card: docs/suites/cifar10-transfer.md):
 * classes 0-4 are the backbone's source task, classes 5-9 the target task. Both read the
 * `cifar-10` loader (runner/datasets/remote.ts: one 162 MB download, sha256-pinned).
 */
import { classSubsetDataset } from './class-subset';

/** CIFAR-10: 50k train, 10k test. */
const CIFAR_ALL = { n_train: 50000, n_test: 10000 };

export const cifarSourceDataset = classSubsetDataset({
  id: 'cifar-10-0-4',
  description: 'CIFAR-10 classes 0-4 (airplane, automobile, bird, cat, deer): the source task of cifar10-transfer; downloads CIFAR-10.',
  base: 'cifar-10',
  baseAll: CIFAR_ALL,
  classes: [0, 1, 2, 3, 4],
  defaultSizes: { n_train: 20000, n_val: 5000, n_test: 5000 },
});

export const cifarTargetDataset = classSubsetDataset({
  id: 'cifar-10-5-9',
  description: 'CIFAR-10 classes 5-9 (dog, frog, horse, ship, truck) relabelled 0-4: the target task of cifar10-transfer; downloads CIFAR-10.',
  base: 'cifar-10',
  baseAll: CIFAR_ALL,
  classes: [5, 6, 7, 8, 9],
  defaultSizes: { n_train: 10000, n_val: 2500, n_test: 5000 },
});
