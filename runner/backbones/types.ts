import type { SavedModel } from './io';

export interface ResolveOptions {
  /** Progress lines (pretraining can take a while on first use). */
  log?: (line: string) => void;
  /** Rebuild even when the cache holds the artifacts. */
  force?: boolean;
}

export interface BackboneDef {
  id: string;
  description: string;
  /** Name of the layer whose output is z = f(x). */
  featureLayer: string;
  /** Per-example input shape the backbone expects. */
  inputShape: number[];
  /** The dataset(s) the backbone is meant for (listing only). */
  datasets: string[];
  /** The saved artifacts, built (e.g. pretrained) and cached on first use. sha256 is of the weight bytes. */
  resolve(opts?: ResolveOptions): Promise<SavedModel>;
}
