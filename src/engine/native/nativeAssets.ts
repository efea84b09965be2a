// What a set-up needs besides the network, shipped in dist/native/ by the
// build (scripts/build.mjs) with the extension and the command-line package:
// tfjs-node's JavaScript as one bundle (it becomes a provisioned backend's
// index.js), the binding's C++ sources and the Node-API headers to compile it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface NativeAssets {
  tfjsBundle: string;
  bindingSources: string;
  napiHeaders: string;
}

/** dist/native beside the running bundle, or in the checkout when running from source. */
export function nativeAssets(from: string = __dirname): NativeAssets {
  const candidates = [join(from, 'native')];
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) candidates.push(join(dir, 'dist', 'native'));
  const root = candidates.find((c) => existsSync(join(c, 'tfjs-node.js')));
  if (!root) throw new Error(`the native set-up files (dist/native/tfjs-node.js …) are missing near ${from}; rebuild with npm run build`);
  return { tfjsBundle: join(root, 'tfjs-node.js'), bindingSources: join(root, 'binding'), napiHeaders: join(root, 'node-api-headers') };
}
