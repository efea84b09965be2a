// `latent-lab inspect`: what a checkpoint holds, without running the model.
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { describeObjective } from '../objectives/objective';
import { describeFamilies } from '../models/config';
import { checkpointPath } from './checkpointPath';
import { formatEpoch } from './format';

export function inspectCommand(path: string, o: { json?: boolean }): void {
  const file = checkpointPath(path);
  const c = loadCheckpoint(file);
  let parameters = 0;
  for (const t of c.params.values()) parameters += t.data.length;
  if (o.json) {
    console.log(JSON.stringify({ checkpoint: file, parameters, config: c.config, state: c.state, history: c.history }));
    return;
  }
  const { model, objective, training, data } = c.config;
  const arch = model.layers.map((l, i) => `${i === 0 ? model.inputDim : model.layers[i - 1].latent}-${l.hidden.join('-')}-${l.latent}`).join(' | ');
  console.log(`checkpoint  ${file}`);
  console.log(`run         ${c.config.runId}`);
  console.log(`model       ${arch} (tanh), ${describeFamilies(model)}, ${model.likelihood} likelihood; ${parameters.toLocaleString('en-US')} parameters`);
  console.log(`objective   ${describeObjective(objective)}`);
  const schedule = training.schedule.kind === 'burda' ? "Burda et al.'s schedule (3280 epochs)" : `${training.schedule.epochs} epochs at lr ${training.schedule.learningRate}`;
  console.log(`training    ${schedule}, batch ${training.batchSize}, seed ${training.seed}`);
  console.log(`data        ${data.path} (${data.trainSize} train / ${data.testSize} test, ${data.dim} values, ${data.kind}, fingerprint ${data.fingerprint})`);
  console.log(`state       epoch ${c.state.epoch}, step ${c.state.step}, ${c.state.elapsedSeconds.toFixed(0)} s of training`);
  for (const e of c.history) console.log(`  ${formatEpoch(e)}`);
}
