// The training process: the extension host forks it so that TensorFlow never
// runs on (or crashes) the host's event loop. It drives the engine the way the
// CLI does, but talks over the IPC channel (src/shared/trainingProtocol.ts).
import { z } from 'zod';
import { FromTrainer, ToTrainer } from '../../shared/trainingProtocol';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import type { Dataset } from '../data/dataset';
import { imageOptionsOf, loadSplit } from '../data/load';
import { createRunConfig } from '../train/newRun';
import type { RunConfig } from '../train/runConfig';
import { resumableCheckpoint } from '../train/runDir';
import { processStopControl, type StopControl } from '../train/stopControl';
import { runTraining } from '../train/trainer';
import type { FigureRequest } from '../evaluate/figures';
import { GraphStepPath } from '../graph/graphStepPath';

type RunRequest = Extract<ToTrainer, { type: 'start' | 'resume' }>;

/** Made when the run is asked for (a stop always comes after that request). */
let stop: StopControl | undefined;
let imageRequest: FigureRequest | undefined;
let started = false;
let lastSend: Promise<void> = Promise.resolve();

/** Sends in order; resolves once the message has left, so the process can exit without losing it. */
function send(message: FromTrainer): Promise<void> {
  // After the host has gone, a send would raise an uncaught ERR_IPC_CHANNEL_CLOSED.
  if (!process.connected || !process.send) return lastSend;
  lastSend = new Promise<void>((resolve) => process.send?.(message, (error) => {
    if (error) console.error(`latent-lab training process: could not send '${message.type}': ${error.message}`);
    resolve();
  }));
  return lastSend;
}

/** The run's config and data: a new run's from the request, a resumed run's from its checkpoint. */
async function prepare(request: RunRequest): Promise<{ config: RunConfig; train: Dataset; test: Dataset }> {
  if (request.type === 'start') {
    const data = await loadSplit(request.dataPath, { colour: request.choices.colour });
    return { ...data, config: createRunConfig(request.choices, data.train, data.test, request.dataPath) };
  }
  const config = loadCheckpoint(resumableCheckpoint(request.runDir)).config;
  return { ...(await loadSplit(request.dataPath ?? config.data.path, imageOptionsOf(config.data))), config };
}

async function train(request: RunRequest, control: StopControl): Promise<void> {
  const { config, train: trainSet, test } = await prepare(request);
  const steps = new GraphStepPath();
  try {
    await runTraining({ runDir: request.runDir, config, train: trainSet, test, steps, resume: request.type === 'resume', maxSteps: request.maxSteps }, {
      onEvent: (event) => void send({ type: 'event', event }),
      shouldStop: control.shouldStop,
      stopReason: control.stopReason,
      takeImageRequest: () => {
        const taken = imageRequest;
        imageRequest = undefined;
        return taken;
      },
    });
  } finally {
    steps.dispose();
  }
}

async function runAndExit(request: RunRequest): Promise<never> {
  // SIGTERM (the host's stop deadline) after a stop aborts at once, with run.json saying so.
  stop = processStopControl(request.runDir, (note) => console.error(`latent-lab training process: ${note}`));
  let code = 0;
  try {
    await train(request, stop);
  } catch (err) {
    // runTraining reports failures inside the loop as an `end` event; what lands
    // here happened before the loop (unreadable data, a bad config, a busy folder).
    code = 1;
    void send({ type: 'error', message: (err as Error).message });
  }
  await lastSend;
  process.exit(code);
}

process.on('message', (raw) => {
  const parsed = ToTrainer.safeParse(raw);
  if (!parsed.success) {
    console.error(`latent-lab training process: ignoring a malformed message: ${z.prettifyError(parsed.error)}`);
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case 'start':
    case 'resume':
      if (started) {
        console.error('latent-lab training process: ignoring a second run request; one process trains one run');
        return;
      }
      started = true;
      void runAndExit(message);
      return;
    case 'stop':
      stop?.request('stopped from VS Code');
      return;
    case 'images':
      // Only the newest request matters: the dashboard shows one set of images.
      imageRequest = { ...(message.dims ? { dims: message.dims } : {}), ...(message.range !== undefined ? { range: message.range } : {}) };
      return;
  }
});

// The host went away (window closed or reloaded): stop cleanly so the checkpoint
// and run.json say where the run got to, then exit with nobody to report to.
process.on('disconnect', () => {
  stop?.request('stopped: the VS Code window that trained it closed');
  if (!started) process.exit(0);
});

void send({ type: 'ready', pid: process.pid });
