#!/usr/bin/env node
// `npm run bench`: training and -L_5000 evaluation throughput of the engine's
// graph and eager paths against the peer scripts in ../shared/bench, all run
// as separate processes, interleaved in rounds (order rotated per round) so
// that every ratio compares runs made minutes apart on the same machine.
// Peers: PyTorch eager, TensorFlow graph mode and TensorFlow with XLA (when
// `python3 -c 'import tensorflow'` works), JAX (when an interpreter with jax
// and optax is named), plain tfjs-node. Every row reports the ratio to
// PyTorch and to the best peer of that row.
//   --quick          K = 5 and 50 only, short windows, one round
//   --rounds N       rounds (default 3; quick: 1)
//   --jax-python P   the interpreter with jax and optax (or LATENT_LAB_JAX_PYTHON); without it JAX is skipped
//   --json           one JSON object per line instead of tables
//   --threads-sweep  time the graph path under TF_NUM_INTRAOP/INTEROP_THREADS settings instead
//   --execution-sweep time the graph path compiled whole by XLA and kernel by kernel instead,
//                    interleaved: what XLA buys at each shape
//   --soak-minutes M length of the memory soak (default 10; quick: 1)
// Besides throughput it measures the machine's fp32 matmul peak (the peers'
// peak_flops.py) for the achieved share of it, the extension host's event-loop
// delay while a run trains (bench/hostResponsiveness.mts) and memory over a long
// run (bench/memorySoak.mts), and how fast the experiment dashboard draws 100 runs
// (bench/experiments-render.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const peers = process.env.LATENT_LAB_PEERS ?? resolve(root, '../shared/bench');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const text = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const option = (name, fallback) => Number(text(name, fallback));
const quick = flag('--quick');
const rounds = option('--rounds', quick ? 1 : 3);
const timing = quick ? ['--window-s', '0.5', '--windows', '3', '--warmup', '1'] : ['--window-s', '1', '--windows', '5', '--warmup', '2'];
const evalN = quick ? '3' : '5';
const configs = [20, 100].flatMap((batch) => (quick ? [5, 50] : [1, 5, 50]).map((k) => ({ batch, k })));
const EVAL_CONFIG = '20x5';
const soakMinutes = option('--soak-minutes', quick ? 1 : 10);

// FLOPs of the workload (Burda's 784-200-200-50 model): a forward pass is the
// encoder once per image and the decoder once per sample; training costs about
// three forward passes (forward, and two products per layer backward).
const ENCODER_MACS = 784 * 200 + 200 * 200 + 200 * 100;
const DECODER_MACS = 50 * 200 + 200 * 200 + 200 * 784;
const trainFlopPerImage = (k) => 3 * 2 * (ENCODER_MACS + k * DECODER_MACS);
const EVAL_FLOP_PER_IMAGE = 2 * (ENCODER_MACS + 5000 * DECODER_MACS);

const jaxPython = text('--jax-python', process.env.LATENT_LAB_JAX_PYTHON);
const engine = (path, role = 'training') => ({ cmd: process.execPath, args: ['--import', 'tsx', join(root, 'bench/engineWorkload.mts'), '--path', path, '--role', role] });
// engine-evaluation: -L_5000 alone in a process set up as `latent-lab eval` and
// Evaluate Checkpoint set theirs (one intra-op thread); engine-graph evaluates
// after training, in the training process, as a run's final evaluation does.
const variants = {
  'engine-graph': engine('graph'),
  'engine-evaluation': { ...engine('graph', 'evaluation'), evaluationOnly: true },
  'engine-eager': engine('eager'),
  torch: { cmd: 'python3', args: [join(peers, 'torch_iwae.py'), '--threads', '2'] },
  tf: { cmd: 'python3', args: [join(peers, 'tf_iwae.py')], needs: 'import tensorflow' },
  'tf-xla': { cmd: 'python3', args: [join(peers, 'tf_iwae.py'), '--xla'], needs: 'import tensorflow' },
  ...(jaxPython ? { jax: { cmd: jaxPython, args: [join(peers, 'jax_iwae.py')], needs: 'import jax, optax' } } : {}),
  'tfjs-node': { cmd: process.execPath, args: [join(peers, 'tfjs_iwae.mjs'), '--backend', 'tensorflow'] },
};
const isPeer = (name) => !name.startsWith('engine-');

function available(v) {
  if (!v.needs) return true;
  return spawnSync(v.cmd, ['-c', v.needs], { stdio: 'ignore' }).status === 0;
}

function measure(variant, batch, k, withEval, env = {}, extra = []) {
  const v = variants[variant];
  return jsonLines(v.cmd, [...v.args, ...extra, '--batch', String(batch), '--k', String(k), ...timing, '--eval-n', withEval ? evalN : '0'], env).at(-1);
}

const median = (xs) => { const s = xs.filter((x) => x !== undefined).sort((p, q) => p - q), m = s.length >> 1; return s.length === 0 ? undefined : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const rotate = (xs, r) => xs.map((_, i) => xs[(i + r) % xs.length]);
const log = (s) => process.stderr.write(`${s}\n`);

/** The JSON lines a bench script prints, run as its own process; at least one, or it failed. */
function jsonLines(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: 3600_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env } });
  const lines = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  if (r.status !== 0 || lines.length === 0) throw new Error(`${[cmd, ...args].join(' ')} failed:\n${(r.stderr ?? '').slice(-2000)}`);
  return lines;
}

/** One bench script's result: its last JSON line. */
const script = (cmd, args) => jsonLines(cmd, args).at(-1);

/** The machine's fp32 matmul rate (GFLOP/s of torch.mm, 2048^2, 2 threads). */
const peakGflops = () => script('python3', [join(peers, 'peak_flops.py')]).gflops?.square;

function benchmark() {
  const names = Object.keys(variants).filter((n) => available(variants[n]));
  const skipped = [...Object.keys(variants).filter((n) => !names.includes(n)).map((n) => `${n} (${variants[n].cmd} cannot ${variants[n].needs})`),
    ...(jaxPython ? [] : ['jax (no interpreter named: --jax-python PATH or LATENT_LAB_JAX_PYTHON)'])];
  log(`variants: ${names.join(', ')}; ${rounds} round(s)${skipped.length ? `; skipped: ${skipped.join('; ')}` : ''}`);
  const results = {}; // `${config}|${variant}` -> runs
  const peaks = [];
  for (let round = 0; round < rounds; round++) {
    peaks.push(peakGflops());
    log(`round ${round + 1} fp32 matmul peak: ${peaks.at(-1)} GFLOP/s`);
    for (const { batch, k } of configs) {
      const key = `${batch}x${k}`;
      for (const name of rotate(names, round + configs.indexOf(configs.find((c) => c.batch === batch && c.k === k)))) {
        if (variants[name].evaluationOnly && key !== EVAL_CONFIG) continue;
        const out = measure(name, batch, k, key === EVAL_CONFIG);
        out.round = round;
        (results[`${key}|${name}`] ??= []).push(out);
        log(`round ${round + 1} ${key} ${name}: ${out.train_images_per_s ?? '-'} img/s${out.eval_images_per_s ? `, eval ${out.eval_images_per_s} img/s` : ''}`);
      }
    }
  }
  log('host responsiveness while training (30 s)');
  const host = script(process.execPath, ['--import', 'tsx', join(root, 'bench/hostResponsiveness.mts'), '--seconds', quick ? '10' : '30']);
  log('experiment dashboard with 100 and 1,000 runs');
  const experiments = jsonLines(process.execPath, ['--import', 'tsx', join(root, 'bench/experiments-render.mjs'), '--json']);
  log(`memory soak (${soakMinutes} min)`);
  const memory = script(process.execPath, ['--import', 'tsx', join(root, 'bench/memorySoak.mts'), '--minutes', String(soakMinutes)]);
  return { names, skipped, results, peak: Math.max(...peaks), host, memory, experiments };
}

const share = (imagesPerSec, flopPerImage, peak) => (imagesPerSec && peak ? imagesPerSec * flopPerImage / (peak * 1e9) : undefined);
const percent = (x) => (x === undefined ? '-' : `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`);

/** Median over rounds of the per-round ratio of `field` to `peer`'s (default PyTorch). */
function ratio(results, key, name, field, peer = 'torch') {
  const theirs = results[`${key}|${peer}`] ?? [];
  return median((results[`${key}|${name}`] ?? []).map((r) => {
    const t = theirs.find((x) => x.round === r.round);
    return t && t[field] ? r[field] / t[field] : undefined;
  }));
}

/** The step paths the engine's graph variant ran on at `key` (one per round, usually all the same). */
const stepPaths = (results, key) => [...new Set((results[`${key}|engine-graph`] ?? []).map((r) => r.step_path?.path).filter(Boolean))];

/** The peer with the highest median `field` at `key`. */
function bestPeer(results, names, key, field) {
  const rate = (n) => median((results[`${key}|${n}`] ?? []).map((r) => r[field])) ?? -Infinity;
  const peersHere = names.filter((n) => isPeer(n) && rate(n) > -Infinity);
  return peersHere.length ? peersHere.reduce((a, b) => (rate(b) > rate(a) ? b : a)) : undefined;
}

function report({ names, skipped, results, peak, host, memory, experiments }) {
  const get = (key, name, field) => median((results[`${key}|${name}`] ?? []).map((r) => r[field]));
  const best = (key, field, engine = 'engine-graph') => {
    const peer = bestPeer(results, names, key, field);
    return { best_peer: peer, best_peer_images_per_s: peer && get(key, peer, field), ratio_vs_best_peer: peer && round2(ratio(results, key, engine, field, peer)) };
  };
  // The engine's -L_5000: its evaluation process where it ran, else the training process's.
  const evaluator = names.includes('engine-evaluation') ? 'engine-evaluation' : 'engine-graph';
  const inTraining = best(EVAL_CONFIG, 'eval_images_per_s');
  const keys = configs.map(({ batch, k }) => `${batch}x${k}`);
  if (flag('--json')) {
    for (const { batch, k } of configs) {
      const key = `${batch}x${k}`;
      console.log(JSON.stringify({
        workload: 'train', batch, k, images_per_s: get(key, 'engine-graph', 'train_images_per_s'),
        torch_images_per_s: get(key, 'torch', 'train_images_per_s'), ratio_vs_torch: round2(ratio(results, key, 'engine-graph', 'train_images_per_s')),
        ...best(key, 'train_images_per_s'),
        peak_rss_mb: get(key, 'engine-graph', 'peak_rss_mb'), eager_images_per_s: get(key, 'engine-eager', 'train_images_per_s'),
        flop_per_image: trainFlopPerImage(k), peak_gflops: peak, peak_share: round3(share(get(key, 'engine-graph', 'train_images_per_s'), trainFlopPerImage(k), peak)),
        step_path: stepPaths(results, key), session_seconds: get(key, 'engine-graph', 'session_seconds'),
      }));
    }
    const [batch, k] = EVAL_CONFIG.split('x').map(Number);
    console.log(JSON.stringify({
      workload: 'eval', batch: 1, k: 5000, process: evaluator === 'engine-evaluation' ? 'evaluation' : 'training', images_per_s: get(EVAL_CONFIG, evaluator, 'eval_images_per_s'),
      torch_images_per_s: get(EVAL_CONFIG, 'torch', 'eval_images_per_s'), ratio_vs_torch: round2(ratio(results, EVAL_CONFIG, evaluator, 'eval_images_per_s')),
      ...best(EVAL_CONFIG, 'eval_images_per_s', evaluator),
      training_process_images_per_s: get(EVAL_CONFIG, 'engine-graph', 'eval_images_per_s'), training_process_ratio_vs_best_peer: inTraining.ratio_vs_best_peer,
      step_path: stepPaths(results, EVAL_CONFIG),
      peak_rss_mb: get(EVAL_CONFIG, evaluator, 'peak_rss_mb'), eager_images_per_s: get(EVAL_CONFIG, 'engine-eager', 'eval_images_per_s'), timed_at: { batch, k },
      flop_per_image: EVAL_FLOP_PER_IMAGE, peak_gflops: peak, peak_share: round3(share(get(EVAL_CONFIG, evaluator, 'eval_images_per_s'), EVAL_FLOP_PER_IMAGE, peak)),
    }));
    console.log(JSON.stringify(host));
    console.log(JSON.stringify(memory));
    for (const e of experiments) console.log(JSON.stringify(e));
    if (skipped.length) console.log(JSON.stringify({ workload: 'skipped', variants: skipped }));
    return;
  }
  console.log(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB; Node ${process.version}; ${rounds} round(s)${quick ? ', quick' : ''}`);
  console.log(skipped.length ? `Skipped: ${skipped.join('; ')}\n` : '');
  console.log(`Against the best peer of each row (per-round ratio, median)\n\n| batch x K | best peer | its images/s | engine-graph | engine / PyTorch | engine / best peer | engine's step path |\n|---|---|---|---|---|---|---|`);
  for (const key of keys) {
    const b = best(key, 'train_images_per_s');
    const how = stepPaths(results, key).join(', ');
    console.log(`| ${key} | ${fmt(b.best_peer)} | ${fmt(b.best_peer_images_per_s)} | ${fmt(get(key, 'engine-graph', 'train_images_per_s'))} | ${fmt(round2(ratio(results, key, 'engine-graph', 'train_images_per_s')))} | **${fmt(b.ratio_vs_best_peer)}** | ${how || '-'} |`);
  }
  const e = best(EVAL_CONFIG, 'eval_images_per_s', evaluator);
  const evalHow = stepPaths(results, EVAL_CONFIG).join(', ');
  console.log(`| L_5000 eval (${evaluator}) | ${fmt(e.best_peer)} | ${fmt(e.best_peer_images_per_s)} | ${fmt(get(EVAL_CONFIG, evaluator, 'eval_images_per_s'))} | ${fmt(round2(ratio(results, EVAL_CONFIG, evaluator, 'eval_images_per_s')))} | **${fmt(e.ratio_vs_best_peer)}** | ${evalHow || '-'} |`);
  if (evaluator !== 'engine-graph') {
    console.log(`| L_5000 eval (engine-graph, after training) | ${fmt(inTraining.best_peer)} | ${fmt(inTraining.best_peer_images_per_s)} | ${fmt(get(EVAL_CONFIG, 'engine-graph', 'eval_images_per_s'))} | ${fmt(round2(ratio(results, EVAL_CONFIG, 'engine-graph', 'eval_images_per_s')))} | **${fmt(inTraining.ratio_vs_best_peer)}** | ${evalHow || '-'} |`);
  }
  console.log('');
  console.log(`Training images/s (median over rounds)\n\n| batch x K | ${names.join(' | ')} |\n|---|${names.map(() => '---').join('|')}|`);
  for (const key of keys) console.log(`| ${key} | ${names.map((n) => fmt(get(key, n, 'train_images_per_s'))).join(' | ')} |`);
  console.log(`\nRatio to PyTorch (per-round ratio, median)\n\n| batch x K | ${names.join(' | ')} |\n|---|${names.map(() => '---').join('|')}|`);
  for (const key of keys) console.log(`| ${key} | ${names.map((n) => fmt(round2(ratio(results, key, n, 'train_images_per_s')))).join(' | ')} |`);
  console.log(`\nEvaluation (-L_5000 of one image) and memory\n\n| variant | L_5000 images/s | / PyTorch | peak RSS MB |\n|---|---|---|---|`);
  for (const n of names) {
    const rss = Math.max(...keys.flatMap((key) => (results[`${key}|${n}`] ?? []).map((r) => r.peak_rss_mb ?? 0)));
    console.log(`| ${n} | ${fmt(get(EVAL_CONFIG, n, 'eval_images_per_s'))} | ${fmt(round2(ratio(results, EVAL_CONFIG, n, 'eval_images_per_s')))} | ${rss} |`);
  }
  console.log(`\nShare of the measured fp32 matmul peak (${peak} GFLOP/s, best of the rounds)\n`);
  console.log(`| batch x K | FLOP per image | ${names.join(' | ')} |\n|---|---|${names.map(() => '---').join('|')}|`);
  for (const { batch, k } of configs) {
    const key = `${batch}x${k}`;
    console.log(`| ${key} | ${(trainFlopPerImage(k) / 1e6).toFixed(2)} M | ${names.map((n) => percent(share(get(key, n, 'train_images_per_s'), trainFlopPerImage(k), peak))).join(' | ')} |`);
  }
  console.log(`| L_5000 eval | ${(EVAL_FLOP_PER_IMAGE / 1e9).toFixed(2)} G | ${names.map((n) => percent(share(get(EVAL_CONFIG, n, 'eval_images_per_s'), EVAL_FLOP_PER_IMAGE, peak))).join(' | ')} |`);
  console.log(`\nExtension host while IWAE K=5 trains (${host.seconds} s): event-loop delay p50 ${host.event_loop_delay_p50_ms} ms, p99 ${host.event_loop_delay_p99_ms} ms, max ${host.event_loop_delay_max_ms} ms; ` +
    `${host.dashboard_messages_per_s} dashboard messages/s carrying ${host.run_events_per_s} run events/s (${host.dashboard_kb_per_s} KB/s); ${host.training_steps_per_s} training steps/s.`);
  for (const e of experiments) {
    console.log(`\nExperiment dashboard, ${e.runs} runs with ${e.compared} compared (${e.points} points): table and chart drawn in frame ${e.frame}, ${e.ms_after_messages} ms after the host's messages (${e.draw_ms} ms drawing).`);
  }
  console.log(`\nMemory over ${memory.minutes} min of training (from minute 1 to the end): tensors ${memory.tensors_after_warmup} -> ${memory.tensors_at_end} (max ${memory.tensors_max_after_warmup}), ` +
    `RSS ${memory.rss_mb_after_warmup} -> ${memory.rss_mb_at_end} MB (max ${memory.rss_mb_max_after_warmup}).`);
}

function threadsSweep() {
  const settings = [['2', '1'], ['1', '1'], ['2', '2'], ['1', '2']];
  const sweepConfigs = [{ batch: 20, k: 5 }, { batch: 100, k: 50 }];
  const rates = {};
  for (let round = 0; round < rounds; round++) {
    for (const { batch, k } of sweepConfigs) {
      for (const [intra, inter] of rotate(settings, round)) {
        const out = measure('engine-graph', batch, k, batch === 20, { TF_NUM_INTRAOP_THREADS: intra, TF_NUM_INTEROP_THREADS: inter });
        const id = `${batch}x${k}|${intra}/${inter}`;
        (rates[id] ??= { train: [], eval: [] }).train.push(out.train_images_per_s);
        if (out.eval_images_per_s) rates[id].eval.push(out.eval_images_per_s);
        log(`round ${round + 1} ${id}: ${out.train_images_per_s} img/s${out.eval_images_per_s ? `, eval ${out.eval_images_per_s}` : ''}`);
      }
    }
  }
  console.log(`| intra/inter threads | ${sweepConfigs.map((c) => `${c.batch}x${c.k} train`).join(' | ')} | L_5000 eval |\n|---|---|---|---|`);
  for (const [intra, inter] of settings) {
    const cells = sweepConfigs.map((c) => fmt(median(rates[`${c.batch}x${c.k}|${intra}/${inter}`].train)));
    console.log(`| ${intra}/${inter} | ${cells.join(' | ')} | ${fmt(median(rates[`20x5|${intra}/${inter}`].eval))} |`);
  }
}

function executionSweep() {
  const settings = ['auto', 'graph'];
  const names = { auto: 'xla', graph: 'kernel by kernel' };
  const rates = {};
  for (let round = 0; round < rounds; round++) {
    for (const { batch, k } of configs) {
      const key = `${batch}x${k}`;
      for (const execution of rotate(settings, round)) {
        const out = measure('engine-graph', batch, k, key === EVAL_CONFIG, {}, ['--execution', execution]);
        const id = `${key}|${execution}`;
        (rates[id] ??= { train: [], eval: [], session: [] }).train.push(out.train_images_per_s);
        rates[id].session.push(out.session_seconds);
        if (out.eval_images_per_s) rates[id].eval.push(out.eval_images_per_s);
        log(`round ${round + 1} ${key} ${out.step_path?.path}: ${out.train_images_per_s} img/s${out.eval_images_per_s ? `, eval ${out.eval_images_per_s}` : ''}, session ${out.session_seconds} s`);
      }
    }
  }
  console.log(`Training images/s, graph path (median over ${rounds} round(s))\n\n| batch x K | ${settings.map((e) => names[e]).join(' | ')} | xla / kernel by kernel | session seconds (xla, kernel by kernel) |\n|---|---|---|---|---|`);
  for (const { batch, k } of configs) {
    const key = `${batch}x${k}`;
    const m = Object.fromEntries(settings.map((e) => [e, median(rates[`${key}|${e}`].train)]));
    const session = settings.map((e) => fmt(median(rates[`${key}|${e}`].session))).join(', ');
    console.log(`| ${key} | ${settings.map((e) => fmt(m[e])).join(' | ')} | ${fmt(round2(m.auto / m.graph))} | ${session} |`);
  }
  const evalOf = (e) => median(rates[`${EVAL_CONFIG}|${e}`]?.eval ?? []);
  console.log(`\nL_5000 evaluation images/s: xla ${fmt(evalOf('auto'))}, kernel by kernel ${fmt(evalOf('graph'))}`);
}

const round3 = (x) => (x === undefined ? undefined : Math.round(x * 1000) / 1000);
const round2 = (x) => (x === undefined ? undefined : Math.round(x * 100) / 100);
const fmt = (x) => (x === undefined ? '-' : String(x));

if (!existsSync(join(peers, 'torch_iwae.py'))) throw new Error(`peer scripts not found in ${peers} (set LATENT_LAB_PEERS)`);
if (flag('--threads-sweep')) threadsSweep();
else if (flag('--execution-sweep')) executionSweep();
else report(benchmark());
