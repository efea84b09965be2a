// `latent-lab train`: a run from the terminal, with a progress bar (or JSON lines).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import type { RunEvent } from '../../shared/events';
import { loadSplit } from '../data/load';
import { createRunConfig, runId, type RunChoices } from '../train/newRun';
import { runTraining } from '../train/trainer';
import { GraphStepPath } from '../graph/graphStepPath';
import { resumableCheckpoint, runPaths } from '../train/runDir';
import type { ResumeSettings } from '../train/runSetup';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import type { Likelihood, PosteriorFamily, PriorFamily } from '../models/config';
import type { GradientEstimator, ObjectiveKind } from '../objectives/objective';
import { describeStepPath, formatEpoch, formatFinal } from './format';
import { processStopControl } from '../train/stopControl';

export interface TrainOptions {
  data?: string;
  objective: ObjectiveKind;
  k?: number;
  m: number;
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

/** An option the user gave on the command line (not a default), as commander names it and as typed. */
export interface GivenOption {
  key: string;
  flag: string;
}

/** What `--resume` may change, by option (runSetup.ts's RESUMABLE_SETTINGS), and the options that only steer this session. */
const RESUME_SETTINGS: Record<string, keyof ResumeSettings> = { epochs: 'epochs', evalK: 'evalK', nllEvery: 'nllEvery', nllExamples: 'nllExamples' };
const SESSION_OPTIONS = new Set(['resume', 'data', 'maxSteps', 'json']);

export async function trainCommand(o: TrainOptions, given: GivenOption[] = []): Promise<void> {
  if (o.out === '' || o.resume === '') throw new Error(`${o.resume === '' ? '--resume' : '--out'} is empty; name a run folder`);
  const has = (key: string) => given.some((g) => g.key === key);
  if (o.resume && o.out !== undefined) throw new Error('choose either --resume (continue a run in its folder) or --out (a new run)');
  if (!o.resume && has('m') && o.objective !== 'miwae') throw new Error(`--m ${o.m} sets the groups of MIWAE; it means nothing for --objective ${o.objective}`);
  if (o.schedule === 'burda' && o.epochs !== undefined) throw new Error('choose either --epochs or --schedule burda');
  const runDir = resolve(o.resume ?? o.out ?? `runs/${runId(o)}`);
  const changes: ResumeSettings = {};
  if (o.resume) {
    const fixed = given.filter((g) => !SESSION_OPTIONS.has(g.key) && !(g.key in RESUME_SETTINGS));
    if (fixed.length) {
      throw new Error(`--resume continues the run as its checkpoint defines it: ${fixed.map((g) => g.flag).join(', ')} cannot change `
        + '(only --epochs, --eval-k, --nll-every and --nll-examples can, and --data, --max-steps, --json)');
    }
    for (const g of given) if (g.key in RESUME_SETTINGS) changes[RESUME_SETTINGS[g.key]] = o[g.key as keyof TrainOptions] as number;
  }
  const dataPath = o.data ?? (o.resume ? loadCheckpoint(resumableCheckpoint(runDir)).config.data.path : undefined);
  if (!dataPath) throw new Error('--data is required (or --resume a run folder)');
  const { train, test } = await loadSplit(dataPath);
  const choices: RunChoices = {
    objective: o.objective, k: o.k, m: o.objective === 'miwae' ? o.m : undefined, estimator: o.estimator, analyticKl: o.analyticKl,
    schedule: o.schedule === 'burda' ? { kind: 'burda' } : { kind: 'fixed', epochs: o.epochs ?? 10, learningRate: o.lr },
    batchSize: o.batchSize, seed: o.seed, layers: o.layers === '2' ? 2 : 1, hidden: o.hidden, latent: o.latent,
    posterior: o.posterior, prior: o.prior, components: o.components, likelihood: o.likelihood, binarize: o.binarize,
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
