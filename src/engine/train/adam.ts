// Adam (Kingma & Ba 2015) with PyTorch's conventions, written out so the
// learning rate can follow a schedule and the moments can be checkpointed.
import { tf, type Tensor, type Variable } from '../tf';
import type { Params } from '../models/params';

export interface AdamHyperparameters {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Burda et al. 2015: beta1 0.9, beta2 0.999, epsilon 1e-4. */
export const BURDA_ADAM: AdamHyperparameters = { beta1: 0.9, beta2: 0.999, epsilon: 1e-4 };

export class Adam {
  readonly m = new Map<string, Variable>();
  readonly v = new Map<string, Variable>();
  /** Updates applied so far (t in the paper). */
  step = 0;

  constructor(private readonly params: Params, readonly hyper: AdamHyperparameters = BURDA_ADAM) {
    tf.tidy(() => {
      for (const [name, p] of params) {
        this.m.set(name, tf.variable(tf.zerosLike(p), false));
        this.v.set(name, tf.variable(tf.zerosLike(p), false));
      }
    });
  }

  /** p <- p - lr * m_hat / (sqrt(v_hat) + eps), bias-corrected moments. (The graph path runs TensorFlow's fused kernel instead, graph/fusedAdam.ts.) */
  apply(grads: Record<string, Tensor>, learningRate: number): void {
    this.step += 1;
    const { beta1, beta2, epsilon } = this.hyper;
    const c1 = biasCorrection(beta1, this.step);
    const c2 = biasCorrection(beta2, this.step);
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads[name];
        if (!g) continue;
        const m = this.m.get(name) as Variable;
        const v = this.v.get(name) as Variable;
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
        p.assign(p.sub(m.div(c1).div(v.div(c2).sqrt().add(epsilon)).mul(learningRate)));
      }
    });
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}

/** 1 - beta^t as -expm1(t log beta): computed as 1 - 0.999^t, it loses about 1e-5 of its value at t = 1 in float32. */
function biasCorrection(beta: number, t: number): number {
  return -Math.expm1(t * Math.log(beta));
}
