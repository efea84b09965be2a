// Moving weights and optimizer moments between live tensors and checkpoint arrays.
import { tf } from '../tf';
import { parameterShapes } from '../models/architecture';
import { LatentVariableModel } from '../models/latentModel';
import type { Params } from '../models/params';
import { Sampler } from '../random/sampler';
import { Adam, BURDA_ADAM } from '../train/adam';
import type { NamedArray } from './safetensors';
import { CheckpointError, type Checkpoint } from './checkpoint';

export function exportTensors(tensors: Map<string, tf.Tensor>): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [name, t] of tensors) out.set(name, { shape: [...t.shape], data: t.dataSync() as Float32Array });
  return out;
}

/** Assigns every array to the variable of the same name; names and shapes must match exactly. */
export function importTensors(target: Params | Map<string, tf.Variable>, arrays: Map<string, NamedArray>, file: string, what: string): void {
  checkArrays(new Map([...target].map(([name, v]) => [name, v.shape])), arrays, file, what);
  for (const [name, v] of target) {
    const a = arrays.get(name) as NamedArray;
    tf.tidy(() => v.assign(tf.tensor(a.data, a.shape)));
  }
}

/** Throws unless `arrays` holds exactly the names in `shapes`, each of its shape and finite. */
function checkArrays(shapes: Map<string, readonly number[]>, arrays: Map<string, NamedArray>, file: string, what: string): void {
  const missing = [...shapes.keys()].filter((n) => !arrays.has(n));
  const extra = [...arrays.keys()].filter((n) => !shapes.has(n));
  if (missing.length || extra.length) {
    throw new CheckpointError(file, `${what} do not match the model: ${missing.length ? `missing ${missing.slice(0, 3).join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.slice(0, 3).join(', ')}` : ''}`);
  }
  for (const [name, shape] of shapes) {
    const a = arrays.get(name) as NamedArray;
    if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(file, `${what} ${name} has shape [${a.shape}], the model needs [${shape}]`);
    }
    if (!a.data.every(Number.isFinite)) throw new CheckpointError(file, `${what} ${name} holds NaN or infinite values`);
  }
}

/** The model a checkpoint holds. Its config is checked against the arrays in the file before any
 * tensor is allocated, so a config that lies about the sizes cannot make the model huge. */
export function restoreModel(c: Checkpoint, file: string): LatentVariableModel {
  checkArrays(parameterShapes(c.config.model), c.params, file, 'weights');
  // The initial draws are overwritten at once, so any seed will do.
  const model = new LatentVariableModel(c.config.model, new Sampler(0));
  try {
    importTensors(model.params, c.params, file, 'weights');
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}

export function restoreAdam(model: LatentVariableModel, c: Checkpoint, file: string): Adam {
  const adam = new Adam(model.params, BURDA_ADAM);
  try {
    importTensors(adam.m, c.adamM, file, 'Adam first moments');
    importTensors(adam.v, c.adamV, file, 'Adam second moments');
  } catch (err) {
    adam.dispose();
    throw err;
  }
  adam.step = c.state.adamStep;
  return adam;
}
