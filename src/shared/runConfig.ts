// What defines a run, as data: the model, the objective, the training settings
// and the data it saw. Stored in every checkpoint and run record, and the one
// place where the names of objectives, estimators and families are defined:
// the engine, the command line, the extension and the webviews take them from here.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();
const positive = z.number().positive().finite();

/** vae: the ELBO (mean of K log weights); iwae: L_K; miwae: the mean of M bounds L_K;
 * piwae and ciwae: Rainforth et al. 2018 (src/engine/objectives/piwae.ts, ciwae.ts). */
export const ObjectiveKind = z.enum(['vae', 'iwae', 'miwae', 'piwae', 'ciwae']);
export type ObjectiveKind = z.infer<typeof ObjectiveKind>;

/** standard: reparameterized gradient of the bound; stl: sticking the landing
 * (Roeder et al. 2017); dreg: doubly reparameterized (Tucker et al. 2018). */
export const GradientEstimator = z.enum(['standard', 'stl', 'dreg']);
export type GradientEstimator = z.infer<typeof GradientEstimator>;

/** iaf: a diagonal Normal followed by an inverse autoregressive flow (Kingma et al. 2016). */
export const PosteriorFamily = z.enum(['normal', 'laplace', 'student-t', 'iaf']);
export type PosteriorFamily = z.infer<typeof PosteriorFamily>;
/** vamp: the VampPrior, the posterior at learned pseudo-inputs (Tomczak & Welling 2018). */
export const PriorFamily = z.enum(['normal', 'mixture', 'vamp']);
export type PriorFamily = z.infer<typeof PriorFamily>;
export const Likelihood = z.enum(['bernoulli', 'gaussian-fixed', 'gaussian-learned']);
export type Likelihood = z.infer<typeof Likelihood>;

/** How a dataset's values are distributed (src/engine/data/dataset.ts decides it). */
export const ValueKind = z.enum(['binary', 'unit', 'real']);
export type ValueKind = z.infer<typeof ValueKind>;

export const StochasticLayerConfig = z.object({
  /** Hidden layer widths of the deterministic MLP below this stochastic layer. */
  hidden: z.array(positiveInt),
  /** Dimension of this stochastic layer's latent variable. */
  latent: positiveInt,
});
export type StochasticLayerConfig = z.infer<typeof StochasticLayerConfig>;

/** The networks next to the data: MLPs, or convolutions (image data only). */
export const NetworkKind = z.enum(['mlp', 'conv']);
export type NetworkKind = z.infer<typeof NetworkKind>;

/** Convolutions down from the image in q(z1|x), transposed convolutions up to it in p(x|z1). */
export const ConvNetworkConfig = z.object({
  kind: z.literal('conv'),
  /** Channels of each stride-2 convolution, nearest the image first; the decoder mirrors them. */
  channels: z.array(positiveInt).min(1),
  /** Side of the square kernels. */
  kernel: positiveInt,
});
export type ConvNetworkConfig = z.infer<typeof ConvNetworkConfig>;

/** Between stochastic layers the networks are always MLPs. */
export const NetworkConfig = z.discriminatedUnion('kind', [z.object({ kind: z.literal('mlp') }), ConvNetworkConfig]);
export type NetworkConfig = z.infer<typeof NetworkConfig>;

/** The inverse autoregressive flow of the `iaf` posterior. */
export const FlowConfig = z.object({
  /** T, the number of IAF steps after the diagonal Normal. */
  steps: positiveInt,
  /** Hidden units of each step's MADE network. */
  hidden: positiveInt,
  /** Size of the context h the encoder hands every step (0: no context). */
  context: count,
});
export type FlowConfig = z.infer<typeof FlowConfig>;

export const ModelConfig = z.object({
  /** Dimension D of one example. */
  inputDim: positiveInt,
  /** Height and width, when examples are images. */
  imageShape: z.tuple([positiveInt, positiveInt]).optional(),
  /** Channels per pixel of image examples, stored last (absent: 1): D = height * width * channels. */
  imageChannels: positiveInt.optional(),
  /** Absent: MLPs. */
  network: NetworkConfig.optional(),
  /** Bottom (nearest the data) first: q(z1|x), q(z2|z1), ...; the decoder mirrors them. */
  layers: z.array(StochasticLayerConfig).min(1),
  posterior: PosteriorFamily,
  /** The Student-t posterior's degrees of freedom, fixed during training. */
  degreesOfFreedom: positive.optional(),
  /** The IAF posterior's flow, the same shape in every stochastic layer. */
  flow: FlowConfig.optional(),
  prior: PriorFamily,
  /** Components of the mixture prior, or pseudo-inputs of the VampPrior. */
  priorComponents: count,
  likelihood: Likelihood,
  /** Standard deviation of the fixed-variance Gaussian likelihood (and the start of the learned one). */
  likelihoodScale: positive,
});
export type ModelConfig = z.infer<typeof ModelConfig>;

export const ObjectiveConfig = z.object({
  kind: ObjectiveKind,
  /** Importance samples per group (VAE: samples averaged). */
  k: positiveInt,
  /** Independent groups of K (MIWAE; PIWAE's inference network); 1 otherwise. */
  m: positiveInt,
  estimator: GradientEstimator,
  /** VAE only: E_q[log p(x|z)] by Monte Carlo minus KL(q || p) in closed form. */
  analyticKl: z.boolean(),
  /** CIWAE only: the weight of the ELBO in beta ELBO + (1 - beta) L_K. */
  beta: z.number().min(0).max(1).optional(),
});
export type ObjectiveConfig = z.infer<typeof ObjectiveConfig>;

/** Learning rates as stages: Burda et al.'s 3^i epochs at 1e-3 * 10^(-i/7), or a fixed rate. */
export const Schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('burda') }),
  z.object({ kind: z.literal('fixed'), epochs: positiveInt, learningRate: positive }),
]);
export type Schedule = z.infer<typeof Schedule>;

export const TrainingConfig = z.object({
  schedule: Schedule,
  batchSize: positiveInt,
  seed: count.refine(Number.isSafeInteger, 'not a safe integer'),
  /** Redraw binary pixels from grey levels at every step (data of kind `unit`). */
  binarize: z.boolean(),
  /** Steps between progress events. */
  progressEvery: positiveInt,
  /** Held-out examples for the per-epoch bounds (0 = all). */
  evalExamples: count,
  /** K of the test NLL estimate -L_K (5000 in the paper). */
  evalK: positiveInt,
  /** Epochs between test NLL estimates during training (0 = only at the end). */
  nllEvery: count,
  /** Held-out examples for the test NLL (0 = all). */
  nllExamples: count,
  /** Also checkpoint mid-epoch when this much time has passed since the last one. */
  checkpointSeconds: positive,
});
export type TrainingConfig = z.infer<typeof TrainingConfig>;

export const DataSummary = z.object({
  path: z.string().min(1),
  /** sha256 of the training values, to tell whether a resume sees the same data. */
  fingerprint: z.string(),
  trainSize: count,
  testSize: count,
  dim: positiveInt,
  kind: ValueKind,
  imageShape: z.tuple([positiveInt, positiveInt]).optional(),
  /** Values per pixel of colour images (absent: 1): a PNG folder read with `colour`. */
  channels: positiveInt.optional(),
});
export type DataSummary = z.infer<typeof DataSummary>;

export const RunConfig = z.object({
  format: z.literal('latent-lab-run'),
  version: z.literal(1),
  runId: z.string(),
  model: ModelConfig,
  objective: ObjectiveConfig,
  training: TrainingConfig,
  data: DataSummary,
});
export type RunConfig = z.infer<typeof RunConfig>;
