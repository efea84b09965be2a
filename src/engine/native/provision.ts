// Provisioning a native backend: each route in turn into a fresh staging
// folder, the result loaded in a child process, and only then renamed into
// place. Cancelled, failed or killed, it leaves nothing that a later start
// would take for a backend. Used by `latent-lab setup` (so by the extension,
// which runs that command in a child process) and by `npm run setup`.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteName, SetupProgress } from '../../shared/nativeBackendProtocol';
import { entryDir, entryState, installEntry, removeStale, stagingDir, writeManifest, type BackendManifest } from './backendStore';
import type { NetworkOptions } from './download';
import { nativeAssets, type NativeAssets } from './nativeAssets';
import { officialRoute } from './officialRoute';
import { RouteUnavailable, type Route, type RouteContext } from './route';
import { bindingPath, hostTarget, libraryDir, TFJS_NODE_VERSION, type Target } from './target';
import { verifyBackend } from './verifyBackend';
import { wheelRoute } from './wheelRoute';

export const ROUTES: Record<RouteName, Route> = { official: officialRoute, wheel: wheelRoute };
/** Left in the staging folder by the routes; not part of a backend. */
const TEMPORARY = ['deps/include', '.build', '.binding', '.download'];

export interface ProvisionOptions {
  routes?: RouteName[];
  network?: NetworkOptions;
  wheelCache?: string;
  signal?: AbortSignal;
  onProgress?: (p: SetupProgress) => void;
  env?: NodeJS.ProcessEnv;
  target?: Target;
  assets?: NativeAssets;
}

export interface Provisioned {
  dir: string;
  route: RouteName;
  tensorflow: string;
  /** An existing complete backend was kept. */
  reused: boolean;
}

export class SetupCancelled extends Error {
  constructor() {
    super('the set-up was cancelled; nothing was installed');
    this.name = 'SetupCancelled';
  }
}

export class SetupFailed extends Error {
  constructor(readonly tried: { route: RouteName; reason: string }[], target: string) {
    super(`no native TensorFlow backend could be set up for ${target}. Tried: ${tried.map((t, i) => `(${i + 1}) ${ROUTES[t.route].title}: ${t.reason}`).join('; ')}. `
      + 'By hand: install @tensorflow/tfjs-node@' + TFJS_NODE_VERSION + ' with npm in any folder (npm install @tensorflow/tfjs-node@' + TFJS_NODE_VERSION
      + ') and point Latent Lab at it (the setting latentLab.nativeBackend.path, or LATENT_LAB_TFJS_NODE / --backend for the command line); '
      + 'or make Google\'s storage reachable (a proxy: http.proxy or HTTPS_PROXY), or install Python with pip and a C++ compiler and set up again');
    this.name = 'SetupFailed';
  }
}

/** Into a store: reuses a complete entry unless `force`; otherwise builds, verifies and installs one. */
export async function provisionStore(storeDir: string, o: ProvisionOptions & { force?: boolean } = {}): Promise<Provisioned> {
  const target = o.target ?? hostTarget();
  const dir = entryDir(storeDir, target);
  mkdirSync(storeDir, { recursive: true });
  removeStale(storeDir);
  const existing = entryState(dir);
  if (existing.installed && !o.force) return { dir, route: existing.manifest.route, tensorflow: existing.manifest.tensorflow, reused: true };
  const assets = o.assets ?? nativeAssets();
  return withRoutes(() => stagingDir(storeDir, target), o, async (staging, route) => {
    // A loadable package of its own: the bundled JavaScript finds the binding beside it.
    copyFileSync(assets.tfjsBundle, join(staging, 'index.js'));
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ name: '@tensorflow/tfjs-node', version: TFJS_NODE_VERSION, main: 'index.js', private: true }, null, 2)}\n`);
    const verified = await verifyStep(staging, o);
    const manifest: Omit<BackendManifest, 'files'> = {
      format: 1, tfjsNode: TFJS_NODE_VERSION, target, route, tensorflow: verified.tensorflow, createdAt: new Date().toISOString(),
    };
    writeManifest(staging, manifest);
    installEntry(staging, dir);
    return { dir, route, tensorflow: verified.tensorflow, reused: false };
  });
}

/** Into an npm-installed @tensorflow/tfjs-node (a development checkout): its deps/ and lib/napi-v8 are replaced. */
export async function provisionPackage(packageDir: string, o: ProvisionOptions = {}): Promise<Provisioned> {
  return withRoutes(() => stagingDir(packageDir, o.target), o, async (staging, route) => {
    for (const part of [libraryDir, bindingPath]) {
      const into = part(packageDir);
      rmSync(part === libraryDir ? join(packageDir, 'deps') : into, { recursive: true, force: true });
      mkdirSync(join(into, '..'), { recursive: true });
    }
    renameSync(join(staging, 'deps'), join(packageDir, 'deps'));
    renameSync(bindingPath(staging), bindingPath(packageDir));
    rmSync(staging, { recursive: true, force: true });
    try {
      const verified = await verifyStep(packageDir, o);
      return { dir: packageDir, route, tensorflow: verified.tensorflow, reused: false };
    } catch (err) {
      rmSync(join(packageDir, 'deps'), { recursive: true, force: true });
      rmSync(bindingPath(packageDir), { force: true });
      throw err;
    }
  });
}

async function verifyStep(dir: string, o: ProvisionOptions) {
  o.onProgress?.({ type: 'step', text: 'checking that the backend loads and runs' });
  return verifyBackend(dir, o.signal);
}

/**
 * Tries each route in a fresh staging folder; `finish` turns a staging folder
 * whose route succeeded into the result. Whatever happens, no staging folder
 * outlives this call.
 */
async function withRoutes(newStaging: () => string, o: ProvisionOptions, finish: (staging: string, route: RouteName) => Promise<Provisioned>): Promise<Provisioned> {
  const target = o.target ?? hostTarget();
  const tried: { route: RouteName; reason: string }[] = [];
  const assets = o.assets ?? nativeAssets();
  for (const name of o.routes ?? ['official', 'wheel']) {
    const route = ROUTES[name];
    const staging = newStaging();
    try {
      o.onProgress?.({ type: 'route', route: name, title: route.title });
      const c: RouteContext = {
        dir: staging, target, network: o.network ?? {}, assets, wheelCache: o.wheelCache, env: o.env ?? process.env, signal: o.signal,
        progress: (p) => o.onProgress?.(p),
      };
      await route.run(c);
      for (const tmp of TEMPORARY) rmSync(join(staging, tmp), { recursive: true, force: true });
      return await finish(staging, name);
    } catch (err) {
      if (o.signal?.aborted) throw new SetupCancelled();
      const reason = (err as Error).message;
      tried.push({ route: name, reason: err instanceof RouteUnavailable ? `not available here: ${reason}` : reason });
      o.onProgress?.({ type: 'route-failed', route: name, reason });
    } finally {
      if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
    }
  }
  throw new SetupFailed(tried, `${target.platform}-${target.arch}`);
}
