// What a native backend is built for: one tfjs-node version, one platform, one
// architecture. A provisioned copy is stored under this key, so a VS Code
// update, another Node or another machine sharing a home folder never picks up
// a build made for something else.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The tfjs-node whose JavaScript the engine is built with (package.json pins it; a test checks). */
export const TFJS_NODE_VERSION = '4.22.0';
/** The libtensorflow tfjs-node's own installer downloads. */
export const LIBTENSORFLOW_VERSION = '2.9.1';
/** The wheel that holds a TensorFlow C library where Google's storage is out of reach. */
export const TENSORFLOW_WHEEL = { name: 'tensorflow-cpu', version: '2.21.0' } as const;
/** tfjs-node's binding is built for the highest N-API version it lists; Node >= 15 (and VS Code's Electron) have it. */
export const NAPI_VERSION = 8;
/** The environment variable naming a tfjs-node folder to load (the extension sets it for every engine process it forks). */
export const BACKEND_ENV = 'LATENT_LAB_TFJS_NODE';

export interface Target {
  platform: NodeJS.Platform;
  arch: string;
}

export const hostTarget = (): Target => ({ platform: process.platform, arch: process.arch });

/** "tfjs-node-4.22.0-linux-x64": the folder name of a provisioned backend. */
export const backendKey = (t: Target = hostTarget()): string => `tfjs-node-${TFJS_NODE_VERSION}-${t.platform}-${t.arch}`;

/** Where the binding sits inside a tfjs-node folder (its package.json `binary.module_path`). */
export const bindingPath = (dir: string): string => join(dir, 'lib', `napi-v${NAPI_VERSION}`, 'tfjs_binding.node');
/** Where the binding's rpath ($ORIGIN/../../deps/lib) looks for libtensorflow. */
export const libraryDir = (dir: string): string => join(dir, 'deps', 'lib');

/**
 * The command line's own store of provisioned backends: the user's cache
 * folder (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows),
 * or LATENT_LAB_HOME when set.
 */
export function cliStoreDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LATENT_LAB_HOME) return join(env.LATENT_LAB_HOME, 'native');
  const home = env.HOME ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'latent-lab', 'native');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'latent-lab', 'native');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'latent-lab', 'native');
}
