// The evaluation process: the extension host forks it for a checkpoint's
// evaluation, its pictures or the SNR of its gradient estimators, so TensorFlow
// never loads in the host. It answers one request (src/shared/evaluationProtocol.ts)
// with the code `latent-lab eval` and `latent-lab analyze gradients` run, and exits.
import { loadCheckpoint } from '../checkpoint/checkpoint';
import type { Dataset } from '../data/dataset';
import { imageOptionsOf, loadSplit, type ImageOptions } from '../data/load';
import { checkpointFigures, checkpointGradientSnr, evaluateCheckpoint } from '../evaluate/checkpointEvaluation';
import { GraphStepPath } from '../graph/graphStepPath';
import { checkpointFileOf } from '../train/runDir';
import { EvaluationRequest, type EvaluationReply } from '../../shared/evaluationProtocol';

/** A few progress updates a second are enough for a progress bar. */
const PROGRESS_INTERVAL_MS = 250;

function send(message: EvaluationReply): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, () => resolve());
  });
}

async function heldOut(path: string, options: ImageOptions): Promise<{ test?: Dataset; missing?: string }> {
  try {
    return { test: (await loadSplit(path, options)).test };
  } catch (err) {
    return { missing: (err as Error).message };
  }
}

async function answer(request: EvaluationRequest): Promise<void> {
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

process.once('message', (raw: unknown) => {
  const parsed = EvaluationRequest.safeParse(raw);
  const work = parsed.success ? answer(parsed.data) : Promise.reject(new Error('malformed evaluation request'));
  work.then(
    () => process.exit(0),
    async (err: unknown) => {
      await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    },
  );
});
// Without the host the answer has nowhere to go.
process.on('disconnect', () => process.exit(0));
