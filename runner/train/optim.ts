/**
 * Optimisers and learning-rate schedules, written directly on tfjs ops so the learning rate is a
 * plain per-step number (cosine, warmup). Weight decay is decoupled by default (AdamW-style:
 * w <- w - lr_t * weight_decay * w; suites @1) or coupled L2 as PyTorch SGD (g <- g + wd * w before
 * momentum; weight_decay_mode "l2", suites @2), applied to every variable the optimiser owns.
 * Nesterov momentum follows PyTorch: buf <- m * buf + g; step along g + m * buf.
 */
import type { z } from 'zod';
import type { OptimizerSchema } from '../../contract';
import { fusedSgdAvailable, SGD_UPDATE, type SgdUpdateAttrs } from '../kernels/sgd-update';
import { tf } from './tf';

export type OptimizerConfig = z.infer<typeof OptimizerSchema>;

/**
 * Learning rate at `step` (0-based) of `totalSteps`: linear warmup from lr/warm to lr over
 * warmup_epochs * stepsPerEpoch steps, then constant or cosine from lr down to lr_min at the end.
 */
export function lrAt(cfg: OptimizerConfig, step: number, totalSteps: number, stepsPerEpoch: number): number {
  const warm = Math.min(Math.round(cfg.warmup_epochs * stepsPerEpoch), totalSteps);
  if (step < warm) return (cfg.lr * (step + 1)) / warm;
  if (cfg.schedule === 'constant') return cfg.lr;
  const span = Math.max(1, totalSteps - warm - 1);
  const t = Math.min(1, (step - warm) / span);
  return cfg.lr_min + 0.5 * (cfg.lr - cfg.lr_min) * (1 + Math.cos(Math.PI * t));
}

export class Optimizer {
  private readonly slots = new Map<tf.Variable, tf.Variable[]>();
  private t = 0;

  constructor(
    private readonly cfg: OptimizerConfig,
    readonly vars: tf.Variable[],
  ) {}

  /** One update with learning rate `lr`; `grads` keyed by variable name (tf.variableGrads). */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    this.t++;
    const { optimizer, momentum, weight_decay: wd } = this.cfg;
    const coupled = this.cfg.weight_decay_mode === 'l2';
    const nesterov = this.cfg.nesterov === true;
    if ((optimizer === 'sgd' || optimizer === 'momentum') && fusedSgdAvailable()) return this.applyFused(grads, lr);
    tf.tidy(() => {
      for (const v of this.vars) {
        const raw = grads[v.name];
        if (!raw) continue;
        // PyTorch SGD's coupled L2: the decay joins the gradient before momentum.
        const g = coupled && wd > 0 ? tf.add(raw, tf.mul(v, wd)) : raw;
        let update: tf.Tensor;
        if (optimizer === 'sgd' || (optimizer === 'momentum' && momentum === 0)) {
          update = g;
        } else if (optimizer === 'momentum') {
          const [buf] = this.slotsOf(v, 1) as [tf.Variable];
          buf.assign(tf.add(tf.mul(buf, momentum), g));
          // Nesterov as PyTorch: step along g + momentum * buf (the look-ahead), else along buf.
          update = nesterov ? tf.add(g, tf.mul(buf, momentum)) : buf;
        } else {
          const b1 = momentum > 0 ? momentum : 0.9;
          const b2 = 0.999;
          const [m, u] = this.slotsOf(v, 2) as [tf.Variable, tf.Variable];
          m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
          u.assign(tf.add(tf.mul(u, b2), tf.mul(tf.square(g), 1 - b2)));
          const mh = tf.div(m, 1 - b1 ** this.t);
          const uh = tf.div(u, 1 - b2 ** this.t);
          update = tf.div(mh, tf.add(tf.sqrt(uh), 1e-8));
        }
        let next = tf.sub(v, tf.mul(update, lr));
        if (wd > 0 && !coupled) next = tf.sub(next, tf.mul(v, lr * wd));
        v.assign(next);
      }
    });
  }

  /**
   * The same SGD / momentum update as apply()'s ops, one kernel call per variable on the wasm
   * backend (kernels/sgd-update.ts; bit-identical, tested).
   */
  private applyFused(grads: tf.NamedTensorMap, lr: number): void {
    const { momentum, weight_decay: wd } = this.cfg;
    const coupled = this.cfg.weight_decay_mode === 'l2';
    const kind: SgdUpdateAttrs['momentum'] = this.cfg.optimizer === 'sgd' || momentum === 0 ? 'none' : this.cfg.nesterov === true ? 'nesterov' : 'plain';
    const attrs: SgdUpdateAttrs = { coupled: coupled && wd > 0, momentum: kind, decoupled: wd > 0 && !coupled, wd, m: momentum, lr, lrwd: lr * wd };
    tf.tidy(() => {
      for (const v of this.vars) {
        const g = grads[v.name];
        if (!g) continue;
        const buf = kind === 'none' ? undefined : this.slotsOf(v, 1)[0]!;
        const out = tf.engine().runKernel(SGD_UPDATE, { v, g, buf: buf ?? v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        v.assign(out[0]!);
        if (buf) buf.assign(out[1]!);
      }
    });
  }

  /** The variable's optimiser state (n zero-initialised buffers, created on first use). */
  private slotsOf(v: tf.Variable, n: number): tf.Variable[] {
    let s = this.slots.get(v);
    if (!s) this.slots.set(v, (s = Array.from({ length: n }, () => tf.variable(tf.zerosLike(v), false))));
    return s;
  }

  dispose(): void {
    for (const s of this.slots.values()) for (const t of s) t.dispose();
    this.slots.clear();
  }
}
