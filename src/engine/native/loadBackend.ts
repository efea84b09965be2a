// Loads the tfjs-node that locateBackend chose, once per process. Engine
// processes started by the extension are given the folder in BACKEND_ENV;
// the command line resolves it itself (and provisions one first when asked).
import { createRequire } from 'node:module';
import type * as TfNodeModule from '@tensorflow/tfjs-node';
import { describeProbes, locateBackend, type BackendLocation, type LocateOptions } from './locateBackend';
import { BACKEND_ENV, backendKey, cliStoreDir } from './target';

export type TfNode = typeof TfNodeModule;

/** Where an engine process looks when nobody told it. */
export const defaultLocateOptions = (env: NodeJS.ProcessEnv = process.env): LocateOptions => ({
  configured: env[BACKEND_ENV] || undefined,
  storeDir: cliStoreDir(env),
  from: __dirname,
});

export class NoBackendError extends Error {
  constructor(readonly detail: string) {
    super(`no native TensorFlow backend (${backendKey()}) is installed; run \`latent-lab setup\` to install one, `
      + `or set ${BACKEND_ENV} to a folder holding an installed @tensorflow/tfjs-node. Looked at: ${detail}`);
    this.name = 'NoBackendError';
  }
}

export function resolveBackend(options: LocateOptions = defaultLocateOptions()): BackendLocation {
  const { location, probes } = locateBackend(options);
  if (!location) throw new NoBackendError(describeProbes(probes));
  return location;
}

/** Requires tfjs-node from `location` and checks that it runs on TensorFlow, never on the JavaScript fallback. */
export function loadTfjsNode(location: BackendLocation = resolveBackend()): TfNode {
  let tf: TfNode;
  try {
    tf = createRequire(__filename)(location.dir) as TfNode;
  } catch (err) {
    throw new Error(`the native backend in ${location.dir} does not load: ${(err as Error).message.split('\n')[0]}; `
      + 'run `latent-lab setup --force` (or Latent Lab: Set Up Native Backend) to repair it');
  }
  if (tf.getBackend() !== 'tensorflow') {
    throw new Error(`tfjs-node in ${location.dir} loaded the '${tf.getBackend()}' backend, not 'tensorflow'`);
  }
  return tf;
}

/** TensorFlow's own version string, as the binding reports it. */
export function tensorflowVersion(tf: TfNode): string {
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: unknown } }).binding;
  return typeof binding?.TF_Version === 'string' ? binding.TF_Version : 'unknown';
}
