// `latent-lab train`: a run from the terminal, with a progress bar (or JSON lines).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import type { RunEvent } from '../../shared/events';
import { imageOptionsOf, loadSplit } from '../data/load';
import { createRunConfig, runId, type RunChoices } from '../train/newRun';
import { runTraining } from '../train/trainer';
import { GraphStepPath } from '../graph/graphStepPath';
import { resumableCheckpoint, runPaths } from '../train/runDir';
import type { ResumeSettings } from '../train/runSetup';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { describeStepPath, formatEpoch, formatFinal } from './format';
import { processStopControl } from '../train/stopControl';
import type { TrainOptions } from './trainOptions';

/** `changes`: what a resume changes (checkTrainOptions has refused what it cannot). */
export async function trainCommand(o: TrainOptions, changes: ResumeSettings = {}): Promise<void> {
  const runDir = resolve(o.resume ?? o.out ?? `runs/${runId(o)}`);
  const resumed = o.resume ? loadCheckpoint(resumableCheckpoint(runDir)).config.data : undefined;
  const dataPath = o.data ?? resumed?.path;
  if (!dataPath) throw new Error('--data is required (or --resume a run folder)');
  const { train, test } = await loadSplit(dataPath, resumed ? imageOptionsOf(resumed) : { colour: o.colour });
  const choices: RunChoices = {
    objective: o.objective, k: o.k, m: o.objective === 'miwae' || o.objective === 'piwae' ? o.m : undefined, beta: o.beta,
    estimator: o.estimator, analyticKl: o.analyticKl,
    schedule: o.schedule === 'burda' ? { kind: 'burda' } : { kind: 'fixed', epochs: o.epochs ?? 10, learningRate: o.lr },
    batchSize: o.batchSize, seed: o.seed, layers: o.layers === '2' ? 2 : 1, hidden: o.hidden, latent: o.latent,
    posterior: o.posterior, degreesOfFreedom: o.degreesOfFreedom, flowSteps: o.flowSteps, flowHidden: o.flowHidden, flowContext: o.flowContext,
    prior: o.prior, components: o.components, network: o.network, convChannels: o.convChannels, convKernel: o.convKernel, colour: o.colour,
    likelihood: o.likelihood, binarize: o.binarize,
    evalK: o.evalK, nllEvery: o.nllEvery, nllExamples: o.nllExamples, evalExamples: o.evalExamples,
  };
  const config = createRunConfig({ ...choices, runId: runId(o) }, train, test, dataPath);
  const view = o.json ? jsonView() : progressView();
  const control = processStopControl(runDir, (message) => view.note(message));
  const output: View = {
    event: (e) => control.canWrite && view.event(e),
    note: (message) => control.canWrite && view.note(message),
    close: () => view.close(),
  };
  let result: Awaited<ReturnType<typeof runTraining>>;
  const steps = new GraphStepPath();
  try {
    result = await runTraining({ runDir, config, train, test, steps, resume: Boolean(o.resume), changes, maxSteps: o.maxSteps }, {
      onEvent: output.event, shouldStop: control.shouldStop, stopReason: control.stopReason,
      // The last phase can take minutes with no progress bar.
      onPhase: (phase) => phase === 'finalEvaluation' && output.note('final evaluation: the test NLL on the held-out data (Ctrl-C stops it; the checkpoint is kept)'),
    });
  } finally {
    steps.dispose();
    control.dispose();
    output.close();
  }
  if (!o.json && control.canWrite) console.log(summary(runDir, result));
  if (result.status === 'failed') throw new Error(result.message ?? 'training failed');
}

function summary(runDir: string, r: Awaited<ReturnType<typeof runTraining>>): string {
  const final = r.final ? `${formatFinal(r.final)}\n` : '';
  if (r.status === 'stopped') return `${final}stopped: ${runDir} (step ${r.step}); continue with: latent-lab train --resume ${runDir}`;
  if (r.status === 'failed') return `failed: ${runDir} (${existsSync(runPaths(runDir).checkpoint) ? `step ${r.step}, its last checkpoint` : 'no checkpoint'})`;
  return `${final}${r.status}: ${runDir} (step ${r.step})`;
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
