// The one place that decides which tfjs-node the engine loads. First hit wins:
//   1. a configured folder (VS Code's latentLab.nativeBackend.path; for the
//      command line --backend or LATENT_LAB_TFJS_NODE, which is also how the
//      extension tells the processes it forks what it resolved),
//   2. the copy provisioned into a store (the extension's global storage, or
//      the command line's cache folder), for this tfjs-node version,
//      platform and architecture,
//   3. a @tensorflow/tfjs-node installed in a node_modules above the code
//      itself (a development checkout, or a global npm install beside it).
// A configured folder is the user's explicit choice: when it holds no backend
// that is the answer (with the reason), not a cue to load some other copy.
// Nothing else is consulted: not NODE_PATH, not the current folder.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { entryDir, entryState, type BackendManifest } from './backendStore';
import { TFJS_NODE_VERSION, type Target } from './target';

export type BackendSource = 'configured' | 'provisioned' | 'project';

export interface BackendLocation {
  source: BackendSource;
  /** A folder that `require` loads as @tensorflow/tfjs-node. */
  dir: string;
  /** Present for a provisioned copy. */
  manifest?: BackendManifest;
}

/** One place looked at, and what was found there. */
export interface Probe {
  source: BackendSource;
  path: string;
  found: boolean;
  note: string;
}

export interface LocateOptions {
  /** The configured folder, if any. */
  configured?: string;
  /** The store of provisioned backends, if this caller has one. */
  storeDir?: string;
  /** Where the search for an installed package starts (the code's own folder). */
  from?: string;
  target?: Target;
}

export interface Resolution {
  location?: BackendLocation;
  probes: Probe[];
}

export function locateBackend(o: LocateOptions): Resolution {
  const probes: Probe[] = [];
  if (o.configured) {
    const dir = resolve(o.configured);
    const found = tfjsNodePackage(dir);
    probes.push({ source: 'configured', path: dir, found: found.ok, note: found.note });
    return found.ok ? { location: { source: 'configured', dir: found.dir }, probes } : { probes };
  }
  if (o.storeDir) {
    const dir = entryDir(o.storeDir, o.target);
    const state = entryState(dir);
    probes.push({ source: 'provisioned', path: dir, found: state.installed, note: state.installed ? `${state.manifest.route} route, TensorFlow ${state.manifest.tensorflow}` : state.why });
    if (state.installed) return { location: { source: 'provisioned', dir, manifest: state.manifest }, probes };
  }
  if (o.from) {
    const dir = installedAbove(o.from);
    if (dir) {
      const found = tfjsNodePackage(dir);
      probes.push({ source: 'project', path: dir, found: found.ok, note: found.note });
      if (found.ok) return { location: { source: 'project', dir: found.dir }, probes };
    } else {
      probes.push({ source: 'project', path: o.from, found: false, note: 'no node_modules/@tensorflow/tfjs-node in this folder or above it' });
    }
  }
  return { probes };
}

/** The nearest node_modules/@tensorflow/tfjs-node at or above `from`. */
function installedAbove(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * A folder the user points at may be the package itself or a folder that has
 * it in node_modules (a project). It must have a built binding: an install
 * whose native step failed has the JavaScript only.
 */
function tfjsNodePackage(dir: string): { ok: true; dir: string; note: string } | { ok: false; note: string } {
  const nested = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
  const pkgDir = existsSync(join(dir, 'package.json')) && packageName(dir) === '@tensorflow/tfjs-node' ? dir
    : existsSync(join(nested, 'package.json')) ? nested : undefined;
  if (!pkgDir) return { ok: false, note: existsSync(dir) ? 'holds no @tensorflow/tfjs-node (neither its package.json nor node_modules/@tensorflow/tfjs-node)' : 'does not exist' };
  const version = packageVersion(pkgDir);
  const lib = join(pkgDir, 'lib');
  const bindings = existsSync(lib) ? readdirSync(lib).filter((d) => existsSync(join(lib, d, 'tfjs_binding.node'))) : [];
  if (bindings.length === 0) return { ok: false, note: `${pkgDir} has no built binding (lib/napi-v*/tfjs_binding.node): its native install step did not run or failed` };
  const note = version === TFJS_NODE_VERSION ? `tfjs-node ${version}` : `tfjs-node ${version} (Latent Lab is built with ${TFJS_NODE_VERSION})`;
  return { ok: true, dir: pkgDir, note };
}

function readPackage(dir: string): { name?: unknown; version?: unknown } {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return {};
  }
}
const packageName = (dir: string): unknown => readPackage(dir).name;
const packageVersion = (dir: string): string => String(readPackage(dir).version ?? 'unknown');

/** "configured folder /x: does not exist; provisioned copy /y: not provisioned yet; …" */
export const describeProbes = (probes: Probe[]): string =>
  probes.map((p) => `${SOURCE_LABEL[p.source]} ${p.path}: ${p.note}`).join('; ');

export const SOURCE_LABEL: Record<BackendSource, string> = {
  configured: 'configured folder',
  provisioned: 'provisioned copy',
  project: 'installed package',
};
