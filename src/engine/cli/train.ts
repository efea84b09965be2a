// `latent-lab train`: a run from the terminal, with a progress bar (or JSON lines).
import { resolve } from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import type { RunEvent } from '../../shared/events';
import { loadSplit } from '../data/load';
import { createRunConfig, runId, type RunChoices } from '../train/newRun';
import { runTraining } from '../train/trainer';
import { GraphStepPath } from '../graph/graphStepPath';
import { runPaths } from '../train/runDir';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import type { Likelihood, PosteriorFamily, PriorFamily } from '../models/config';
import type { GradientEstimator } from '../objectives/objective';
import { describeStepPath, formatEpoch, formatFinal } from './format';

export interface TrainOptions {
  data?: string;
  /** The objectives a run config can name (RunChoices). */
  objective: RunChoices['objective'];
  k?: number;
  m: number;
  beta?: number;
  estimator: GradientEstimator;
  analyticKl?: boolean;
  epochs?: number;
  schedule?: 'fixed' | 'burda';
  lr: number;
  batchSize: number;
  layers: '1' | '2';
  hidden?: number[];
  latent?: number;
  posterior: PosteriorFamily;
  prior: PriorFamily;
  components: number;
  likelihood?: Likelihood;
  binarize: boolean;
  evalK: number;
  nllEvery: number;
  nllExamples: number;
  evalExamples: number;
  seed: number;
  out?: string;
  resume?: string;
  maxSteps?: number;
  json?: boolean;
}

export async function trainCommand(o: TrainOptions): Promise<void> {
  const runDir = resolve(o.resume ?? o.out ?? `runs/${runId(o)}`);
  const dataPath = o.data ?? (o.resume ? loadCheckpoint(runPaths(runDir).checkpoint).config.data.path : undefined);
  if (!dataPath) throw new Error('--data is required (or --resume a run folder)');
  if (o.schedule === 'burda' && o.epochs !== undefined) throw new Error('choose either --epochs or --schedule burda');
  const { train, test } = await loadSplit(dataPath);
  const choices: RunChoices = {
    objective: o.objective, k: o.k, m: o.objective === 'miwae' || o.objective === 'piwae' ? o.m : undefined, beta: o.beta,
    estimator: o.estimator, analyticKl: o.analyticKl,
    schedule: o.schedule === 'burda' ? { kind: 'burda' } : { kind: 'fixed', epochs: o.epochs ?? 10, learningRate: o.lr },
    batchSize: o.batchSize, seed: o.seed, layers: o.layers === '2' ? 2 : 1, hidden: o.hidden, latent: o.latent,
    posterior: o.posterior, prior: o.prior, components: o.components, likelihood: o.likelihood, binarize: o.binarize,
    evalK: o.evalK, nllEvery: o.nllEvery, nllExamples: o.nllExamples, evalExamples: o.evalExamples,
  };
  const config = createRunConfig({ ...choices, runId: runId(o) }, train, test, dataPath);
  const view = o.json ? jsonView() : progressView();
  let stopRequested = false;
  const onSignal = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    view.note('stopping after this step (Ctrl-C again to abort without saving)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: Awaited<ReturnType<typeof runTraining>>;
  const steps = new GraphStepPath();
  try {
    result = await runTraining({ runDir, config, train, test, steps, resume: Boolean(o.resume), maxSteps: o.maxSteps },
      { onEvent: view.event, shouldStop: () => stopRequested });
  } finally {
    steps.dispose();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.close();
  }
  if (!o.json) {
    if (result.final) console.log(formatFinal(result.final));
    console.log(`${result.status}: ${runDir} (step ${result.step})${result.status === 'stopped' ? `; continue with: latent-lab train --resume ${runDir}` : ''}`);
  }
  if (result.status === 'failed') throw new Error(result.message ?? 'training failed');
}

interface View {
  event: (e: RunEvent) => void;
  note: (message: string) => void;
  close: () => void;
}

function jsonView(): View {
  return {
    event: (e) => process.stdout.write(JSON.stringify(e) + '\n'),
    note: (message) => process.stderr.write(message + '\n'),
    close: () => undefined,
  };
}

function progressView(): View {
  const bars = new MultiBar({
    format: 'epoch {epoch} |{bar}| {percentage}% | step {value}/{total} | bound {bound} | {ips} img/s | ETA {eta_formatted}',
    hideCursor: true, clearOnComplete: false, etaBuffer: 200,
  }, Presets.shades_classic);
  let bar: ReturnType<MultiBar['create']> | undefined;
  // Without a terminal cli-progress draws nothing until stop, and then a bar that never started; lines only.
  const tty = process.stderr.isTTY === true;
  const log = (line: string) => (tty ? bars.log(line + '\n') : console.log(line));
  return {
    event: (e) => {
      if (e.type === 'start') {
        if (tty) bar = bars.create(e.totalSteps, e.step, { epoch: 0, bound: '-', ips: '-' });
        log(`training ${e.runId} on ${e.dataset}${e.stepPath ? ` (${describeStepPath(e.stepPath)})` : ''}`);
      } else if (e.type === 'progress') {
        bar?.update(e.step, { epoch: e.epoch + 1, bound: e.trainBound.toFixed(2), ips: Math.round(e.imagesPerSec) });
      } else if (e.type === 'epoch') {
        log(formatEpoch(e));
      } else if (e.type === 'end' && e.message) {
        log(e.message);
      }
    },
    note: log,
    close: () => tty && bars.stop(),
  };
}
