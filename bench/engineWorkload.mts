// The peers' IWAE workload (../shared/bench/README.md) run by the engine:
// Burda's 784-200-200-50 model, 1000 Bernoulli(0.3) images cycled in batches,
// Adam 1e-3, timed in windows exactly like the peer scripts, one JSON line out.
// `--path graph` trains through the recorded SavedModel as a run would (compiled
// whole by XLA where TensorFlow can), `--path eager` op by op; `--execution graph`
// keeps the graph path kernel by kernel instead of trying XLA. The line says
// which path ran (`step_path`) and how long the session took to make
// (`session_seconds`: recording, loading and XLA's compilation). Steps go in
// calls of as many as a run with the default progress interval takes
// (`--steps-per-call N` sets it; 1, one call per step). `--role evaluation`
// measures -L_{eval-k} alone, in a process set up as the product's
// evaluation-only processes are (`latent-lab eval`, Evaluate Checkpoint):
// evaluationRole.mts, imported first, sets its thread pools before TensorFlow loads.
import './evaluationRole.mts';
import { tf, type Tensor } from '../src/engine/tf';
import { burdaOneLayer, type ModelConfig } from '../src/engine/models/config';
import { LatentVariableModel } from '../src/engine/models/latentModel';
import { objectiveConfig } from '../src/engine/objectives/objective';
import { Sampler } from '../src/engine/random/sampler';
import { Adam } from '../src/engine/train/adam';
import { DEFAULT_TRAINING } from '../src/engine/train/runConfig';
import { eagerStepPath, type StepPath } from '../src/engine/train/stepPath';
import { stepsPerCallFor } from '../src/engine/train/stepRunner';
import { GraphStepPath } from '../src/engine/graph/graphStepPath';
import { logMeanExp } from '../src/engine/math/logMeanExp';

const a = { role: 'training', path: 'graph', execution: 'auto', 'steps-per-call': stepsPerCallFor(DEFAULT_TRAINING.progressEvery), batch: 20, k: 5, 'window-s': 1, windows: 5, warmup: 2, 'eval-k': 5000, 'eval-n': 0 };
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '') as keyof typeof a;
  if (!(name in a)) throw new Error(`unknown flag ${process.argv[i]}`);
  (a as Record<string, unknown>)[name] = typeof a[name] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

const D = 784;
const config: ModelConfig = { inputDim: D, layers: burdaOneLayer(), posterior: 'normal', prior: 'normal', priorComponents: 0, likelihood: 'bernoulli', likelihoodScale: 1 };
const objective = objectiveConfig({ kind: 'iwae', k: a.k });
const sampler = new Sampler(1);
const model = new LatentVariableModel(config, sampler);
const adam = new Adam(model.params);
const n = Math.floor(1000 / a.batch);
const batches = tf.tidy(() => tf.unstack(sampler.uniform([n, a.batch, D]).less(0.3).toFloat()));

const shape = { objective, binarize: false, batchSize: a.batch };
const path: StepPath = a.path === 'graph' ? new GraphStepPath({ prefer: 'graph', execution: a.execution as 'auto' | 'graph' }) : eagerStepPath();
const median = (xs: number[]) => { const s = [...xs].sort((p, q) => p - q), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const done: (() => void)[] = [];
const out: Record<string, unknown> = a.role === 'evaluation' ? { framework: 'engine-evaluation', batch: a.batch, k: a.k } : await train();
// After training, the evaluation reads the training session's live weights, as a run's final evaluation does.
if (a['eval-n']) Object.assign(out, await evaluation());
out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
out.tf_threads = { intra: process.env.TF_NUM_INTRAOP_THREADS, inter: process.env.TF_NUM_INTEROP_THREADS };
console.log(JSON.stringify(out));
for (const dispose of done) dispose();
path.dispose();

/** Training throughput, timed in windows like the peers'; the runner stays (done) for the evaluation, its weights synced to `model`. */
async function train(): Promise<Record<string, unknown>> {
  const made = performance.now();
  const runner = await path.stepRunner({ model, adam, sampler, evalK: a['eval-k'], stepsPerCall: a['steps-per-call'], ...shape });
  const sessionSeconds = (performance.now() - made) / 1000;
  // Blocks of stepsPerCall consecutive batches, cycled, as the trainer feeds them.
  const perCall = runner.stepsPerCall;
  const blocks = perCall > 1 ? Array.from({ length: n }, (_, i) => tf.stack(Array.from({ length: perCall }, (_, j) => batches[(i * perCall + j) % n]))) : [];
  let it = 0;

  /** `calls` calls, or (calls = 0) about --window-s seconds of them; returns [steps, seconds]. */
  function run(calls: number): [number, number] {
    const t0 = performance.now();
    const reports: Tensor[] = [];
    let k = 0;
    for (; calls ? k < calls : k === 0 || performance.now() - t0 < a['window-s'] * 1000; k++) {
      const r = perCall > 1 ? runner.steps(blocks[it++ % n], 1e-3) : runner.step(batches[it++ % n], 1e-3);
      reports.push(r.bound, r.essFraction);
    }
    // Read back as the trainer's progress report does: every step's bound and ESS / n in one go.
    const stacked = tf.tidy(() => tf.concat(reports.map((t) => t.reshape([-1]))));
    stacked.dataSync();
    tf.dispose([stacked, ...reports]);
    return [k * perCall, (performance.now() - t0) / 1000];
  }

  let [k, dt] = [1, 1];
  for (let w = 0; w < a.warmup; w++) [k, dt] = run(0);
  const calls = Math.max(1, Math.round(k / perCall / dt * a['window-s']));
  const tensors0 = tf.memory().numTensors;
  const rates = Array.from({ length: a.windows }, () => { const [k, dt] = run(calls); return a.batch * k / dt; });
  const result = {
    framework: `engine-${a.path}`, batch: a.batch, k: a.k, step_path: path.choice, session_seconds: +sessionSeconds.toFixed(2), steps_per_call: perCall, steps_per_window: calls * perCall, train_images_per_s: +median(rates).toFixed(1),
    train_windows: rates.map(Math.round), tensors_leaked: tf.memory().numTensors - tensors0,
    peak_rss_train_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  runner.syncEager();
  done.push(() => { runner.dispose(); tf.dispose(blocks); });
  return result;
}

/** -L_{eval-k} of --eval-n images, the median rate after one warm-up image. */
async function evaluation(): Promise<Record<string, unknown>> {
  const evaluate = await evaluator();
  const times: number[] = [];
  for (let j = 0; j <= a['eval-n']; j++) { // the first one is warm-up
    const x = batches[0].slice([j % a.batch, 0], [1, D]);
    const t0 = performance.now();
    const v = evaluate(x);
    v.dataSync();
    times.push((performance.now() - t0) / 1000);
    tf.dispose([v, x]);
  }
  return { eval_k: a['eval-k'], eval_images_per_s: +(1 / median(times.slice(1))).toFixed(2) };
}

/** L_{eval-k} of one image, as the evaluation draws it: one call of the path's log-weight estimator. */
async function evaluator(): Promise<(x: Tensor) => Tensor> {
  const estimator = await path.logWeightEstimator(model, shape, a['eval-k'], new Sampler(2));
  return (x) => tf.tidy(() => logMeanExp(estimator.logWeights(x), 0));
}
