// code-server as `npm run demo` and the end-to-end test use it: the packaged
// extension installed into a private extensions folder, an example workspace
// holding the bundled MNIST digits, and a server on loopback that is always
// stopped with everything it started. Plain Node, no test framework, so the
// demo script can share it (run through tsx).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const root = resolve(__dirname, '..');
export const vsixPath = join(root, 'dist', 'latent-lab.vsix');
export const EXTENSION_ID = 'latent-lab.latent-lab';

function runNode(args: string[], what: string): string {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}); its output is above`);
  return r.stdout;
}

/** Installs code-server when its cache is incomplete; returns its entry point. */
export function ensureCodeServer(): string {
  const out = runNode([join(root, 'scripts', 'ensure-code-server.mjs')], 'scripts/ensure-code-server.mjs');
  return out.trim().split('\n').at(-1) ?? '';
}

/** Builds and writes dist/latent-lab.vsix. */
export function packageExtension(): string {
  process.stderr.write(runNode([join(root, 'scripts', 'package.mjs')], 'npm run package'));
  return vsixPath;
}

/** Replaces whatever version of the extension the folder held. */
export function installExtension(entry: string, vsix: string, extensionsDir: string, userDataDir: string): void {
  mkdirSync(extensionsDir, { recursive: true });
  runNode([entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    `installing ${vsix} into code-server`);
}

/**
 * The checkout's own tfjs-node (npm run setup provisioned it) as the
 * extension's configured backend: the demo and the README's screenshots use
 * it instead of setting one up in their fresh user data. A user's first
 * training sets one up (docs/native-backend.md); the end-to-end test does that.
 */
export const checkoutBackend = (): Record<string, string> => ({ 'latentLab.nativeBackend.path': join(root, 'node_modules', '@tensorflow', 'tfjs-node') });

export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * The example workspace: examples/workspace/ plus a copy of examples/mnist
 * (made by `npm run setup`) as mnist/. A copy, not a symlink, because the
 * extension's dataset search walks real folders only. Runs already in the
 * folder are kept.
 */
export function prepareWorkspace(dir: string): void {
  const mnist = join(root, 'examples', 'mnist');
  if (!existsSync(mnist)) throw new Error(`${mnist} is missing: run npm run setup first`);
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'examples', 'workspace'), dir, { recursive: true });
  cpSync(mnist, join(dir, 'mnist'), { recursive: true });
}

export interface CodeServerOptions {
  entry: string;
  userDataDir: string;
  extensionsDir: string;
  /** The folder opened at `url`. */
  folder: string;
  /** code-server's own output goes here. */
  logFile: string;
  /** 0 (the default) lets the system choose a free port. */
  port?: number;
  /** The server's working folder (default: the system's temporary folder, outside this checkout). */
  cwd?: string;
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** The workbench with `folder` open. */
  url: string;
  origin: string;
  logFile: string;
  /** Settles when the server process exits, with its exit code. */
  exited: Promise<number | null>;
  /** Stops the server and every process it started; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts code-server on loopback and resolves once it listens. */
export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  mkdirSync(dirname(o.logFile), { recursive: true });
  const log = createWriteStream(o.logFile);
  const env = userEnvironment();
  const child = spawn(process.execPath, [
    o.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${o.port ?? 0}`,
    '--disable-telemetry', '--disable-update-check',
    '--config', join(o.userDataDir, 'code-server.yaml'),
    '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir, o.folder,
  ], { cwd: o.cwd ?? tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const stop = once(() => stopGroup(child).finally(() => new Promise<void>((done) => log.end(done))));
  try {
    const origin = await listening(child, o.startTimeoutMs ?? 60_000);
    return { url: `${origin}/?folder=${encodeURIComponent(o.folder)}`, origin, logFile: o.logFile, exited, stop };
  } catch (err) {
    await stop();
    throw new Error(`code-server did not start: ${(err as Error).message} (log: ${o.logFile})`);
  }
}

/**
 * This environment as a user's VS Code would have it: nothing that leads
 * back into this checkout (NODE_PATH, npm's variables and node_modules/.bin
 * from `npm test`), and no VSCODE_* of an editor this may run inside.
 */
export function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_PATH' || key === 'INIT_CWD' || key.startsWith('npm_') || key.startsWith('VSCODE_') || key === 'LATENT_LAB_TFJS_NODE') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '').split(':').filter((p) => !p.startsWith(root)).join(':');
  env.TF_CPP_MIN_LOG_LEVEL = '2';
  return env;
}

function listening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolveOrigin, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`no "HTTP server listening" line within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) finish(null, m[1]);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => finish(new Error(`it exited (code ${code}, signal ${signal})`));
    function finish(err: Error | null, origin?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolveOrigin(origin!);
    }
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

/**
 * SIGTERM to the whole process group (server, extension host, the training
 * process it forked, pty and file-watcher helpers), SIGKILL for whatever is
 * left after a grace period.
 */
async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false;
    }
  };
  if (!signalGroup('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!signalGroup(0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  signalGroup('SIGKILL');
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
