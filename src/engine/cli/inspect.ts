// `latent-lab inspect`: what a checkpoint holds, without running the model,
// and, for a checkpoint in its run folder, what run.json says of the run.
import { basename, dirname } from 'node:path';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { describeFamilies, imageChannels } from '../models/config';
import { describeObjective } from '../objectives/objective';
import { CHECKPOINT_FILE, checkpointFileOf, runRecordState, type RunRecordState } from '../train/runDir';
import { describeStepPath, formatEpoch, formatFinal } from './format';

export function inspectCommand(path: string, o: { json?: boolean }): void {
  const file = checkpointFileOf(path);
  const c = loadCheckpoint(file);
  // A damaged run.json says so beside the checkpoint; it does not hide what the checkpoint holds.
  const run: RunRecordState | undefined = basename(file) === CHECKPOINT_FILE ? runRecordState(dirname(file)) : undefined;
  const record = run && 'record' in run ? run.record : undefined;
  let parameters = 0;
  for (const t of c.params.values()) parameters += t.data.length;
  if (o.json) {
    console.log(JSON.stringify({ checkpoint: file, parameters, config: c.config, state: c.state, history: c.history, ...(record ? { run: record } : {}) }));
    return;
  }
  const { model, objective, training, data } = c.config;
  // Next to convolutions the first network reads the image and its feature maps: 28x28x1-conv32-conv64-200-200-50.
  const input = model.network?.kind === 'conv' && model.imageShape
    ? [`${model.imageShape.join('x')}x${imageChannels(model)}`, ...model.network.channels.map((c) => `conv${c}`)].join('-')
    : String(model.inputDim);
  const arch = model.layers.map((l, i) => [i === 0 ? input : model.layers[i - 1].latent, ...l.hidden, l.latent].join('-')).join(' | ');
  console.log(`checkpoint  ${file}`);
  console.log(`run         ${c.config.runId}`);
  console.log(`model       ${arch} (tanh), ${describeFamilies(model)}, ${model.likelihood} likelihood; ${parameters.toLocaleString('en-US')} parameters`);
  console.log(`objective   ${describeObjective(objective)}`);
  const schedule = training.schedule.kind === 'burda' ? "Burda et al.'s schedule (3280 epochs)" : `${training.schedule.epochs} epochs at lr ${training.schedule.learningRate}`;
  console.log(`training    ${schedule}, batch ${training.batchSize}, seed ${training.seed}`);
  console.log(`data        ${data.path} (${data.trainSize} train / ${data.testSize} test, ${data.dim} values, ${data.kind}, fingerprint ${data.fingerprint})`);
  console.log(`state       epoch ${c.state.epoch}, step ${c.state.step}, ${c.state.elapsedSeconds.toFixed(0)} s of training`);
  if (run && !('record' in run) && !run.missing) console.log(`run         ${run.problem}`);
  if (record) {
    console.log(`status      ${record.status}${record.message ? `: ${record.message}` : ''}`);
    console.log(`step path   ${record.stepPath ? describeStepPath(record.stepPath) : 'not recorded'}`);
    if (record.final) console.log(`final       ${formatFinal(record.final)}`);
  }
  for (const e of c.history) console.log(`  ${formatEpoch(e)}`);
}
