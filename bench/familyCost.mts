// What each family and network costs per training step: Burda's one-layer
// model (784-200-200-50) with every posterior, prior and network, IWAE K = 5,
// batch 20, on both step paths. The configurations take turns in every round,
// so a busy machine slows them alike; the table reports medians over rounds
// and each one's ratio to the diagonal Normal measured in the same rounds.
//   node --import tsx bench/familyCost.mts [--rounds 5] [--steps 20] [--json]
import { tf, type Scalar, type Tensor } from '../src/engine/tf';
import { burdaOneLayer, defaultConvNetwork, defaultFlow, DEFAULT_DEGREES_OF_FREEDOM, type ModelConfig } from '../src/engine/models/config';
import { LatentVariableModel } from '../src/engine/models/latentModel';
import { objectiveConfig } from '../src/engine/objectives/objective';
import { Sampler } from '../src/engine/random/sampler';
import { Adam } from '../src/engine/train/adam';
import type { StepRunner } from '../src/engine/train/stepRunner';
import { eagerStepPath, type StepPath } from '../src/engine/train/stepPath';
import { GraphStepPath } from '../src/engine/graph/graphStepPath';

const a = { rounds: 5, steps: 20, json: false };
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '');
  if (name === 'json') a.json = true;
  else if (name === 'rounds' || name === 'steps') a[name] = Number(process.argv[++i]);
  else throw new Error(`unknown flag ${process.argv[i]}`);
}

const base: ModelConfig = {
  inputDim: 784, imageShape: [28, 28], layers: burdaOneLayer(), posterior: 'normal', prior: 'normal', priorComponents: 0,
  likelihood: 'bernoulli', likelihoodScale: 1,
};
const families: [string, Partial<ModelConfig>][] = [
  ['normal posterior', {}],
  ['laplace posterior', { posterior: 'laplace' }],
  [`student-t posterior (nu = ${DEFAULT_DEGREES_OF_FREEDOM})`, { posterior: 'student-t', degreesOfFreedom: DEFAULT_DEGREES_OF_FREEDOM }],
  [`iaf posterior (${defaultFlow().steps} steps, MADE ${defaultFlow().hidden}, context ${defaultFlow().context})`, { posterior: 'iaf', flow: defaultFlow() }],
  ['mixture prior (10 components)', { prior: 'mixture', priorComponents: 10 }],
  ['vamp prior (10 pseudo-inputs)', { prior: 'vamp', priorComponents: 10 }],
  ['vamp prior (500 pseudo-inputs)', { prior: 'vamp', priorComponents: 500 }],
  [`conv networks (${defaultConvNetwork().channels.join('-')}, ${defaultConvNetwork().kernel}x${defaultConvNetwork().kernel})`, { network: defaultConvNetwork() }],
];
const objective = objectiveConfig({ kind: 'iwae', k: 5 });
const batch = 20;
/** N of the test NLL a graph runner records beside its step; only the step is timed. */
const EVAL_K = 50;
const data = tf.tidy(() => tf.unstack(new Sampler(9).uniform([10, batch, 784]).less(0.3).toFloat()));

interface Subject { name: string; path: 'graph' | 'eager'; runner: StepRunner; dispose: () => void; ms: number[] }

async function subject(name: string, overrides: Partial<ModelConfig>, path: 'graph' | 'eager'): Promise<Subject> {
  const sampler = new Sampler(1);
  const model = new LatentVariableModel({ ...base, ...overrides }, sampler);
  const adam = new Adam(model.params);
  // One step path per subject: a graph path keeps the session of the runner it made last.
  const steps: StepPath = path === 'graph' ? new GraphStepPath({ prefer: 'graph' }) : eagerStepPath();
  const runner = await steps.stepRunner({ model, adam, objective, sampler, binarize: false, batchSize: batch, evalK: EVAL_K });
  return { name, path, runner, ms: [], dispose: () => { runner.dispose(); steps.dispose(); model.dispose(); adam.dispose(); } };
}

/** Milliseconds per step over `steps` steps, the bounds read back once at the end as the trainer does. */
function time(s: Subject, steps: number): number {
  const t0 = performance.now();
  const reports: Scalar[] = [];
  for (let i = 0; i < steps; i++) {
    const r = s.runner.step(data[i % data.length] as Tensor, 1e-3);
    reports.push(r.bound, r.essFraction);
  }
  const stacked = tf.stack(reports);
  stacked.dataSync();
  tf.dispose([stacked, ...reports]);
  return (performance.now() - t0) / steps;
}

const subjects: Subject[] = [];
for (const [name, overrides] of families) for (const path of ['graph', 'eager'] as const) subjects.push(await subject(name, overrides, path));
for (const s of subjects) time(s, 3);
for (let r = 0; r < a.rounds; r++) for (const s of subjects) s.ms.push(time(s, a.steps));

const median = (xs: number[]) => { const v = [...xs].sort((p, q) => p - q), m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
const ms = (name: string, path: string) => median((subjects.find((s) => s.name === name && s.path === path) as Subject).ms);
const rows = families.map(([name]) => {
  const [graph, eager] = [ms(name, 'graph'), ms(name, 'eager')];
  return { name, graph, eager, graphRatio: graph / ms(families[0][0], 'graph'), eagerRatio: eager / ms(families[0][0], 'eager') };
});
if (a.json) {
  for (const row of rows) console.log(JSON.stringify({ ...row, batch, k: objective.k, rounds: a.rounds, steps: a.steps }));
} else {
  console.log(`ms per step, IWAE K = ${objective.k}, batch ${batch}, median of ${a.rounds} rounds of ${a.steps} steps; ratio to the normal posterior in the same rounds`);
  console.log('| family | graph ms/step | x normal | eager ms/step | x normal |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.graph.toFixed(1)} | ${r.graphRatio.toFixed(2)} | ${r.eager.toFixed(1)} | ${r.eagerRatio.toFixed(2)} |`);
}
for (const s of subjects) s.dispose();
tf.dispose(data);
