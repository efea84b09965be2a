// The answer to one evaluation request, with the code `latent-lab eval`,
// `latent-lab analyze gradients` and the inspector's figures run. Loaded by
// evaluationWorker.ts once it has set the process's thread pools: importing
// this module loads TensorFlow.
import { loadCheckpoint } from '../checkpoint/checkpoint';
import type { Dataset } from '../data/dataset';
import { imageOptionsOf, loadSplit, type ImageOptions } from '../data/load';
import { checkpointFigures, checkpointGradientSnr, evaluateCheckpoint } from '../evaluate/checkpointEvaluation';
import { GraphStepPath } from '../graph/graphStepPath';
import { checkpointFileOf } from '../train/runDir';
import type { EvaluationReply, EvaluationRequest } from '../../shared/evaluationProtocol';

/** A few progress updates a second are enough for a progress bar. */
const PROGRESS_INTERVAL_MS = 250;

async function heldOut(path: string, options: ImageOptions): Promise<{ test?: Dataset; missing?: string }> {
  try {
    return { test: (await loadSplit(path, options)).test };
  } catch (err) {
    return { missing: (err as Error).message };
  }
}

export async function answer(request: EvaluationRequest, send: (message: EvaluationReply) => Promise<void>): Promise<void> {
  const file = checkpointFileOf(request.checkpoint);
  const checkpoint = loadCheckpoint(file);
  const dataPath = request.dataPath ?? checkpoint.config.data.path;
  const options = imageOptionsOf(checkpoint.config.data);
  if (request.type === 'figures') {
    const { test, missing } = await heldOut(dataPath, options);
    await send({ type: 'figures', figures: await checkpointFigures(checkpoint, file, test, missing) });
    return;
  }
  const { test } = await loadSplit(dataPath, options);
  let lastSent = -Infinity;
  const onProgress = (done: number, total: number): void => {
    if (done < total && performance.now() - lastSent < PROGRESS_INTERVAL_MS) return;
    lastSent = performance.now();
    void send({ type: 'progress', done, total });
  };
  if (request.type === 'gradients') {
    await send({ type: 'gradients', study: await checkpointGradientSnr(checkpoint, file, test, { ...request.plan, onProgress }) });
    return;
  }
  const steps = new GraphStepPath();
  try {
    const result = await evaluateCheckpoint(checkpoint, file, test, steps, {
      ...(request.k !== undefined ? { k: request.k } : {}),
      ...(request.examples !== undefined ? { examples: request.examples } : {}),
      control: { onProgress },
    });
    await send({ type: 'evaluation', result });
  } finally {
    steps.dispose();
  }
}
