/**
 * Optimisers and learning-rate schedules, written directly on tfjs ops so the learning rate is a
 * plain per-step number (cosine, warmup). Weight decay is decoupled by default (AdamW-style:
 * w <- w - lr_t * weight_decay * w; suites @1) or coupled L2 as PyTorch SGD (g <- g + wd * w before
 * momentum; weight_decay_mode "l2", suites @2), applied to every variable the optimiser owns.
 * Nesterov momentum follows PyTorch: buf <- m * buf + g; step along g + m * buf.
 */
import type { z } from 'zod';
import type { OptimizerSchema } from '../../contract';
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

export interface OptimizerOptions {
  /**
   * Run the SGD / momentum update on the host, in JS, instead of as ~8 tfjs ops per variable (each
   * a kernel dispatch plus a scalar upload). It reproduces the op sequence bit for bit: every
   * float32 op is correctly rounded (a product or sum of two float32 values computed in float64 and
   * rounded to float32 once is the float32 result) and the scalars are rounded to float32 as tfjs
   * does. Reading the variables back is cheap on wasm and cpu (host memory) and slow on a GPU, so
   * the caller enables it per backend. Adam always runs as ops.
   */
  hostUpdate?: boolean;
}

export class Optimizer {
  private readonly slots = new Map<tf.Variable, tf.Variable[]>();
  /** Momentum buffers of the host update (float32, like the slot variables they replace). */
  private readonly hostSlots = new Map<tf.Variable, Float32Array>();
  private t = 0;

  constructor(
    private readonly cfg: OptimizerConfig,
    readonly vars: tf.Variable[],
    private readonly opts: OptimizerOptions = {},
  ) {}

  /** One update with learning rate `lr`; `grads` keyed by variable name (tf.variableGrads). */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    if (this.opts.hostUpdate && this.cfg.optimizer !== 'adam') {
      this.t++;
      this.applyOnHost(grads, lr);
      return;
    }
    this.t++;
    const { optimizer, momentum, weight_decay: wd } = this.cfg;
    const coupled = this.cfg.weight_decay_mode === 'l2';
    const nesterov = this.cfg.nesterov === true;
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
          let s = this.slots.get(v);
          if (!s) this.slots.set(v, (s = [tf.variable(tf.zerosLike(v), false)]));
          const buf = s[0]!;
          buf.assign(tf.add(tf.mul(buf, momentum), g));
          // Nesterov as PyTorch: step along g + momentum * buf (the look-ahead), else along buf.
          update = nesterov ? tf.add(g, tf.mul(buf, momentum)) : buf;
        } else {
          const b1 = momentum > 0 ? momentum : 0.9;
          const b2 = 0.999;
          let s = this.slots.get(v);
          if (!s) this.slots.set(v, (s = [tf.variable(tf.zerosLike(v), false), tf.variable(tf.zerosLike(v), false)]));
          const [m, u] = s as [tf.Variable, tf.Variable];
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
   * The op sequence of apply() for 'sgd' and 'momentum', element by element in float32:
   *   g = raw + v*wd (coupled L2); buf = buf*m + g; u = g + buf*m (Nesterov) or buf (or g for
   *   plain SGD); next = v - u*lr; next = next - v*(lr*wd) (decoupled decay).
   */
  private applyOnHost(grads: tf.NamedTensorMap, lr: number): void {
    const f = Math.fround;
    const { optimizer, momentum, weight_decay: wd } = this.cfg;
    const coupled = this.cfg.weight_decay_mode === 'l2';
    const nesterov = this.cfg.nesterov === true;
    const useMomentum = optimizer === 'momentum' && momentum !== 0;
    const m = f(momentum);
    const wdF = f(wd);
    const lrF = f(lr);
    const lrWd = f(lr * wd);
    for (const v of this.vars) {
      const raw = grads[v.name];
      if (!raw) continue;
      const G = raw.dataSync() as Float32Array;
      const V = v.dataSync() as Float32Array;
      const n = V.length;
      let B = this.hostSlots.get(v);
      if (useMomentum && !B) this.hostSlots.set(v, (B = new Float32Array(n)));
      const next = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const vi = V[i]!;
        const g = coupled && wd > 0 ? f(G[i]! + f(vi * wdF)) : G[i]!;
        let u = g;
        if (useMomentum) {
          const b = f(f(B![i]! * m) + g);
          B![i] = b;
          u = nesterov ? f(g + f(b * m)) : b;
        }
        let x = f(vi - f(u * lrF));
        if (wd > 0 && !coupled) x = f(x - f(vi * lrWd));
        next[i] = x;
      }
      tf.tidy(() => v.assign(tf.tensor(next, v.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) for (const t of s) t.dispose();
    this.slots.clear();
    this.hostSlots.clear();
  }
}
