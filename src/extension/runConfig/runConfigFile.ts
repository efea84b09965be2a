// A run described in a workspace file, `*.latentlab.json`: the dataset plus the
// same choices the quick picks make (RunChoices). The zod schema here is the
// one source of truth; media/run-config.schema.json, which the editor uses to
// validate and complete these files, is generated from it (npm run schema).
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { RunChoices } from '../../shared/trainingProtocol';

export const RUN_CONFIG_SUFFIX = '.latentlab.json';
export const RUN_CONFIG_GLOB = `**/*${RUN_CONFIG_SUFFIX}`;
export const RUN_CONFIG_SCHEMA_PATH = 'media/run-config.schema.json';

export const RunConfigFile = RunChoices.extend({
  $schema: z.string().optional(),
  dataset: z.string().min(1),
}).strict();
export type RunConfigFile = z.infer<typeof RunConfigFile>;

// Typed by the schema's keys: a field added to RunChoices without a description fails to compile.
const DESCRIPTIONS: Record<keyof RunConfigFile, string> = {
  $schema: 'The JSON schema of this file.',
  dataset: "The data to train on, relative to this file's folder (or absolute): an IDX file (optionally .gz), .npy, .csv, a folder of PNGs, or a folder with an MNIST-style train/t10k pair.",
  objective: "What to maximize: 'vae' (the ELBO), 'iwae' (the importance weighted bound L_K), 'miwae' (M independent L_K bounds), 'piwae' (the inference network on MIWAE(M, K), the generative network on IWAE(M K)) or 'ciwae' (beta ELBO + (1 - beta) L_K); the last two from Rainforth et al. 2018.",
  k: 'Importance samples per example (VAE: samples averaged). Default 5, or 1 for a VAE.',
  m: "Independent groups of K samples ('miwae', 'piwae'). Default 1.",
  beta: "CIWAE only: the weight of the ELBO in beta ELBO + (1 - beta) L_K, from 0 (IWAE) to 1 (the ELBO of K samples). Default 0.5.",
  estimator: "Gradient estimator: 'standard' (reparameterized), 'stl' (sticking the landing) or 'dreg' (doubly reparameterized).",
  analyticKl: "VAE only: the KL term in closed form instead of by Monte Carlo.",
  schedule: "Learning-rate schedule: { \"kind\": \"fixed\", \"epochs\": 10, \"learningRate\": 0.001 }, or { \"kind\": \"burda\" } for Burda et al.'s 3,280 epochs in 8 stages.",
  batchSize: 'Examples per optimizer step. Default 20.',
  seed: 'Random seed: the same seed on the same data gives the same run.',
  layers: "Burda et al.'s architecture with 1 or 2 stochastic layers (ignored when hidden or latent is given).",
  hidden: 'Hidden layer widths of a one-stochastic-layer model, e.g. [200, 200].',
  latent: 'Latent dimension of a one-stochastic-layer model, e.g. 50.',
  posterior: "Family of q(z|x): 'normal', 'laplace', 'student-t' or 'iaf' (a diagonal Normal and an inverse autoregressive flow; standard estimator only).",
  degreesOfFreedom: "Student-t posterior: its fixed degrees of freedom. Default 5.",
  flowSteps: 'IAF posterior: the number of flow steps. Default 2.',
  flowHidden: "IAF posterior: hidden units of each step's MADE network. Default 200.",
  flowContext: 'IAF posterior: size of the context the encoder hands every step (0: none). Default 50.',
  prior: "Family of p(z): 'normal', 'mixture' (of Gaussians) or 'vamp' (the VampPrior: q at learned pseudo-inputs).",
  components: "Components of the mixture prior, or pseudo-inputs of the VampPrior. Default 10.",
  network: "Networks next to the data: 'mlp', or 'conv' (convolutions down, transposed convolutions up; image data only).",
  convChannels: 'Convolutional networks: channels of each stride-2 convolution, nearest the image first. Default [32, 64].',
  convKernel: 'Convolutional networks: side of the square kernels. Default 4.',
  colour: 'A folder of colour PNGs read as red, green and blue channels instead of luminance. Default false.',
  likelihood: "p(x|z): 'bernoulli' for values in [0, 1], or a Gaussian with fixed or learned variance. Default: from the data.",
  binarize: 'Redraw binary pixels from grey levels at every step (dynamic binarization). Default true.',
  evalK: 'K of the test log-likelihood estimate -L_K. Default: the latentLab.evalK setting.',
  nllEvery: 'Estimate the test log-likelihood every N epochs (0: only at the end).',
  nllExamples: 'Held-out examples for the test log-likelihood (0: all).',
  evalExamples: 'Held-out examples for the per-epoch bounds (0: all). Default 500.',
  runId: "Name of the run's folder under latentLab.runsFolder. Default: objective, K and the time.",
};

export class RunConfigError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'RunConfigError';
  }
}

export interface RunFromFile {
  /** Absolute path of the dataset. */
  dataPath: string;
  choices: RunChoices;
}

/** Reads a run config file's text; the dataset resolves against the file's folder. */
export function parseRunConfig(text: string, file: string): RunFromFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RunConfigError(file, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = RunConfigFile.safeParse(json);
  if (!parsed.success) throw new RunConfigError(file, z.prettifyError(parsed.error).replace(/\n\s*/g, ' '));
  const { $schema: _schema, dataset, ...choices } = parsed.data;
  return { dataPath: isAbsolute(dataset) ? dataset : resolve(dirname(file), dataset), choices };
}

/** The JSON schema the extension contributes for `*.latentlab.json` (media/run-config.schema.json). */
export function runConfigJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(RunConfigFile, { io: 'input', target: 'draft-7' }) as {
    $schema: string; properties: Record<string, Record<string, unknown>>;
  };
  for (const [key, description] of Object.entries(DESCRIPTIONS)) schema.properties[key] = { description, ...schema.properties[key] };
  return { $schema, title: 'Latent Lab run configuration', ...schema };
}
