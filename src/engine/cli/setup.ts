// `latent-lab setup` and `latent-lab doctor`: the native backend from a
// terminal, and the step every command that trains or evaluates takes first.
// The extension runs `setup --json` in a child process for its Set Up button.
import type { SetupLine, BackendReport } from '../../shared/nativeBackendProtocol';
import { findCompiler } from '../native/compileBinding';
import { defaultLocateOptions } from '../native/loadBackend';
import { describeProbes, locateBackend, type BackendLocation } from '../native/locateBackend';
import { provisionStore, SetupCancelled } from '../native/provision';
import type { RouteName } from '../../shared/nativeBackendProtocol';
import { firstWorking } from '../native/runTool';
import { BACKEND_ENV, backendKey, cliStoreDir } from '../native/target';
import { verifyBackend } from '../native/verifyBackend';

export interface SetupOptions {
  store?: string;
  force?: boolean;
  route?: RouteName[];
  proxy?: string;
  strictSsl?: boolean;
  wheelCache?: string;
  json?: boolean;
  /** Say the outcome on stderr: the set-up runs before another command whose output is stdout. */
  outcomeToStderr?: boolean;
}

const MiB = 1024 * 1024;

/** Human progress on stderr (stdout stays the command's own output); JSON lines on stdout with --json. */
function reporter(json: boolean): (line: SetupLine) => void {
  let lastText = '';
  let lastShare = -1;
  return (line) => {
    if (json) {
      process.stdout.write(`${JSON.stringify(line)}\n`);
      return;
    }
    if (line.type === 'route') process.stderr.write(`[setup] trying ${line.title}\n`);
    else if (line.type === 'route-failed') process.stderr.write(`[setup] that did not work: ${line.reason}\n`);
    else if (line.type === 'step') {
      const share = line.received !== undefined && line.total ? Math.floor((10 * line.received) / line.total) : -1;
      if (line.text === lastText && share === lastShare) return;
      const bytes = line.received !== undefined ? ` ${(line.received / MiB).toFixed(0)}${line.total ? ` of ${(line.total / MiB).toFixed(0)}` : ''} MB` : '';
      if (line.text !== lastText || share !== lastShare) process.stderr.write(`[setup] ${line.text}${bytes}\n`);
      lastText = line.text;
      lastShare = share;
    }
  };
}

export async function setupCommand(o: SetupOptions): Promise<void> {
  const report = reporter(Boolean(o.json));
  const store = o.store ?? cliStoreDir();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const done = await provisionStore(store, {
      force: o.force, routes: o.route, wheelCache: o.wheelCache, signal: abort.signal,
      network: { proxy: o.proxy, strictSSL: o.strictSsl },
      onProgress: report,
    });
    if (o.json) report({ type: 'done', ...done });
    else (o.outcomeToStderr ? console.error : console.log)(`${done.reused ? 'already set up' : 'set up'}: ${done.dir} (${done.route} route, TensorFlow ${done.tensorflow})`);
  } catch (err) {
    if (o.json) {
      report(err instanceof SetupCancelled ? { type: 'cancelled' } : { type: 'failed', message: (err as Error).message });
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function doctorReport(): Promise<BackendReport> {
  const { location, probes } = locateBackend(defaultLocateOptions());
  const tools = {
    python: firstWorking([process.env.PYTHON, 'python3', 'python'], ['-m', 'pip', '--version']),
    compiler: findCompiler(process.env),
  };
  const report: BackendReport = { target: backendKey(), probes, tools };
  if (!location) return report;
  try {
    const v = await verifyBackend(location.dir);
    report.backend = {
      source: location.source, dir: location.dir, tfjsNode: v.tfjsNode, tensorflow: v.tensorflow,
      ...(location.manifest ? { route: location.manifest.route, createdAt: location.manifest.createdAt } : {}),
    };
  } catch (err) {
    report.loadError = (err as Error).message;
  }
  return report;
}

export async function doctorCommand(o: { json?: boolean }): Promise<void> {
  const r = await doctorReport();
  if (o.json) {
    console.log(JSON.stringify(r));
  } else {
    console.log(`target: ${r.target}`);
    for (const p of r.probes) console.log(`  ${p.found ? '✓' : '·'} ${p.source}: ${p.path} — ${p.note}`);
    if (r.backend) console.log(`in use: ${r.backend.dir} (${r.backend.source}${r.backend.route ? `, ${r.backend.route} route` : ''}), tfjs-node ${r.backend.tfjsNode}, TensorFlow ${r.backend.tensorflow}`);
    else console.log(r.loadError ? `the backend found does not load: ${r.loadError}` : 'no backend installed: run latent-lab setup');
    console.log(`set-up tools: Python with pip ${r.tools?.python ?? 'not found'}; C++ compiler ${r.tools?.compiler ?? 'not found'}`);
  }
  if (!r.backend) process.exitCode = 1;
}

/**
 * Before a command that trains or evaluates: the backend this process will
 * load, set up into the command line's store first when there is none, and
 * named in BACKEND_ENV so the engine loads exactly that one.
 */
export async function ensureCliBackend(): Promise<BackendLocation> {
  const options = defaultLocateOptions();
  const found = locateBackend(options);
  const probes = found.probes;
  let location = found.location;
  if (!location) {
    if (options.configured) throw new Error(`${BACKEND_ENV} / --backend: ${describeProbes(probes)}`);
    const store = options.storeDir ?? cliStoreDir();
    process.stderr.write(`[setup] no native TensorFlow backend yet: setting one up in ${store} (once; about 300 MB to download, 900 MB on disk)\n`);
    await setupCommand({ store, outcomeToStderr: true });
    location = locateBackend(options).location;
    if (!location) throw new Error(`the set-up finished but no backend is found in ${store}`);
  }
  process.env[BACKEND_ENV] = location.dir;
  return location;
}
