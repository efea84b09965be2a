// The inspect process: the extension host forks it for a checkpoint's pictures
// or its -L_K, so TensorFlow never loads in the host. It answers one request
// (src/engine/worker/inspectProtocol.ts) and exits.
import { loadCheckpoint } from '../checkpoint/checkpoint';
import type { Dataset } from '../data/dataset';
import { imageOptionsOf, loadSplit, type ImageOptions } from '../data/load';
import { computeFigures, evaluateCheckpoint } from './inspectJobs';
import { InspectRequest, type InspectReply } from './inspectProtocol';

function send(message: InspectReply): Promise<void> {
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

async function answer(request: InspectRequest): Promise<void> {
  const checkpoint = loadCheckpoint(request.checkpoint);
  const dataPath = request.dataPath ?? checkpoint.config.data.path;
  if (request.type === 'figures') {
    const { test, missing } = await heldOut(dataPath, imageOptionsOf(checkpoint.config.data));
    await send({ type: 'figures', figures: await computeFigures(checkpoint, request.checkpoint, test, missing) });
    return;
  }
  const { test } = await loadSplit(dataPath, imageOptionsOf(checkpoint.config.data));
  let lastSent = 0;
  const result = await evaluateCheckpoint(checkpoint, request.checkpoint, test, {
    k: request.k,
    ...(request.examples !== undefined ? { examples: request.examples } : {}),
    onProgress: (done, total) => {
      // A few updates a second are enough for a progress bar.
      if (done < total && performance.now() - lastSent < 250) return;
      lastSent = performance.now();
      void send({ type: 'progress', done, total });
    },
  });
  await send({ type: 'evaluation', result });
}

process.once('message', (raw: unknown) => {
  const parsed = InspectRequest.safeParse(raw);
  const work = parsed.success ? answer(parsed.data) : Promise.reject(new Error('malformed inspect request'));
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
