// `npm run setup`'s native step: the checkout's own node_modules/@tensorflow/tfjs-node
// gets its libtensorflow and binding through the same provisioning code as the
// extension and `latent-lab setup` (src/engine/native/provision.ts), with the
// TensorFlow wheel kept in a cache so that a second set-up needs no download.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { provisionPackage } from '../src/engine/native/provision';
import { verifyBackend } from '../src/engine/native/verifyBackend';

const root = resolve(import.meta.dirname, '..');
const tfjsNode = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const cache = process.env.LATENT_LAB_CACHE ?? join(homedir(), '.cache', 'latent-lab');
const log = (s: string) => console.log(`[setup] ${s}`);

try {
  const v = await verifyBackend(tfjsNode);
  log(`tfjs-node ready (backend tensorflow, TensorFlow ${v.tensorflow})`);
} catch {
  const done = await provisionPackage(tfjsNode, {
    routes: process.env.LATENT_LAB_SKIP_OFFICIAL_DOWNLOAD === '1' ? ['wheel'] : ['official', 'wheel'],
    wheelCache: join(cache, 'wheels'),
    onProgress: (p) => {
      if (p.type === 'route') log(`trying ${p.title}`);
      else if (p.type === 'route-failed') log(`that did not work: ${p.reason}`);
      else if (p.received === undefined) log(p.text);
    },
  }).catch((err: Error) => {
    console.error(`[setup] ${err.message}`);
    process.exit(1);
  });
  log(`tfjs-node ready (${done.route} route, TensorFlow ${done.tensorflow})`);
}
