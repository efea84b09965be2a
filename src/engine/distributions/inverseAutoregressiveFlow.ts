// An inverse autoregressive flow (Kingma et al. 2016): a diagonal Normal draw
// z0 = mu + sigma * eps, then T steps z_t = sigma_t * z_t-1 + (1 - sigma_t) * m_t
// where [m_t, s_t] = AR_t(z_t-1, h) depends on z_t-1 autoregressively and
// sigma_t = sigmoid(s_t). Each step's Jacobian is triangular with diagonal
// sigma_t, so log q(z_T) = log N(eps; 0, I) - sum log sigma - sum_t sum log sigma_t.
//
// The density is known at the flow's own draws only: the density of an
// arbitrary value would need the flow inverted, one autoregressive pass per
// dimension, and none of the bounds needs it. So `logProb` throws; use
// `sampleWithLogProb`. For the same reason the estimators that evaluate log q
// at a draw with the parameters held fixed (STL, DReG) do not apply.
import { tf, type Tensor } from '../tf';
import type { Sampler } from '../random/sampler';
import { softplus } from '../math/softplus';
import { HALF_LOG_2PI, type Distribution } from './distribution';
import { broadcastShape, type Normal } from './normal';

/** One autoregressive network: shift m and gate logit s [..., D], each output i a function of z_<i (in the step's order) and the context. */
export type AutoregressiveStep = (z: Tensor, context: Tensor | undefined) => { shift: Tensor; gate: Tensor };

export class InverseAutoregressiveFlow implements Distribution {
  readonly reparameterized = true;
  readonly meanIsExact = false;

  /** `context` [...batch, C] reaches every step. */
  constructor(readonly base: Normal, readonly steps: AutoregressiveStep[], readonly context?: Tensor) {}

  /** z = f(eps) and log |det dz/deps| -> [..., D] and [...], for eps [..., D] that broadcasts against the base's batch. */
  forward(epsilon: Tensor): { z: Tensor; logDet: Tensor } {
    let z = this.base.loc.add(epsilon.mul(tf.exp(this.base.logScale)));
    let logDet = this.base.logScale.sum(-1);
    for (const step of this.steps) {
      const { shift, gate } = step(z, this.context);
      // log sigmoid(s) = -softplus(-s); tfjs's own logSigmoid loses its input when differentiated inside a tidy.
      const logSigma = softplus(gate.neg()).neg();
      // sigma z + (1 - sigma) m, written as m + sigma (z - m).
      z = shift.add(tf.exp(logSigma).mul(z.sub(shift)));
      logDet = logDet.add(logSigma.sum(-1));
    }
    return { z, logDet };
  }

  sampleWithLogProb(sampler: Sampler, n: number): { value: Tensor; logProb: Tensor } {
    const epsilon = sampler.normal([n, ...broadcastShape(this.base.loc.shape, this.base.logScale.shape)]);
    const { z, logDet } = this.forward(epsilon);
    return { value: z, logProb: epsilon.square().mul(-0.5).sub(HALF_LOG_2PI).sum(-1).sub(logDet) };
  }

  sample(sampler: Sampler, n: number): Tensor {
    return this.sampleWithLogProb(sampler, n).value;
  }

  logProb(): Tensor {
    throw new Error('the IAF posterior\'s density is known only at its own draws (sampleWithLogProb): evaluating it elsewhere would need the flow inverted');
  }

  /** The flow's image of the base mean (eps = 0): q's centre, not E_q[z], which has no closed form. */
  mean(): Tensor {
    return this.forward(tf.zerosLike(this.base.loc)).z;
  }
}
