// What every way of obtaining the native parts shares. A route writes into a
// staging folder laid out as a tfjs-node package: libtensorflow under
// deps/lib and the binding under lib/napi-v8 (the binding's rpath joins the
// two). It either finishes or throws; the caller discards the folder then.
import type { RouteName, SetupProgress } from '../../shared/nativeBackendProtocol';
import type { NetworkOptions } from './download';
import type { NativeAssets } from './nativeAssets';
import type { Target } from './target';

export interface RouteContext {
  /** The staging folder. */
  dir: string;
  target: Target;
  network: NetworkOptions;
  assets: NativeAssets;
  /** A folder that may already hold the TensorFlow wheel, and keeps it (development set-ups). */
  wheelCache?: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  progress: (p: SetupProgress) => void;
}

export interface Route {
  name: RouteName;
  title: string;
  run(c: RouteContext): Promise<void>;
}

/** The route cannot be tried on this machine (no compiler, unsupported platform…), as opposed to having failed. */
export class RouteUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouteUnavailable';
  }
}
