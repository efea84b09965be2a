// The command line's `setup --json` and `doctor --json`, run in a child
// process for the extension: provisioning downloads, unpacks and compiles,
// and loading TensorFlow to report on it must never happen in the extension
// host. Every line that comes back is validated. No vscode import.
import { z } from 'zod';
import { BackendReport, SetupLine, type SetupOutcome, type SetupProgress } from '../../shared/nativeBackendProtocol';
import { forkEngineProcess } from '../engineProcess';

export interface SetupRequest {
  /** The built command line, dist/cli.js. */
  cliPath: string;
  storeDir: string;
  force?: boolean;
  proxy?: string;
  strictSSL?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Resolves with the outcome the command reported; a process that dies without one is a failure naming how it died. */
export function runSetup(r: SetupRequest, onProgress: (p: SetupProgress) => void, signal?: AbortSignal): Promise<SetupOutcome> {
  const args = ['setup', '--store', r.storeDir, '--json'];
  if (r.force) args.push('--force');
  if (r.proxy) args.push('--proxy', r.proxy);
  if (r.strictSSL === false) args.push('--no-strict-ssl');
  return new Promise((resolve) => {
    const child = forkEngineProcess(r.cliPath, { args, env: r.env });
    let outcome: SetupOutcome | undefined;
    let stderr = '';
    let rest = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const parsed = parseLine(line);
        if (!parsed) continue;
        if (parsed.type === 'done' || parsed.type === 'failed' || parsed.type === 'cancelled') outcome = parsed;
        else onProgress(parsed);
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
    // The command cleans its staging folder on SIGTERM; a harder kill leaves one that the next set-up removes.
    const cancel = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', cancel, { once: true });
    child.on('error', (err) => resolve({ type: 'failed', message: `the set-up process could not start: ${err.message}` }));
    child.on('close', (code, how) => {
      signal?.removeEventListener('abort', cancel);
      if (outcome) return resolve(outcome);
      if (signal?.aborted) return resolve({ type: 'cancelled' });
      const last = stderr.trim().split('\n').pop()?.replace(/^latent-lab: /, '');
      resolve({ type: 'failed', message: `the set-up process ${how ? `was killed by ${how}` : `exited with code ${code}`}${last ? `: ${last}` : ''}` });
    });
  });
}

function parseLine(line: string): SetupLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = SetupLine.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `latent-lab doctor --json` with the given environment (the folder to report on goes in BACKEND_ENV). */
export function runDoctor(cliPath: string, env: NodeJS.ProcessEnv = {}): Promise<BackendReport> {
  return new Promise((resolve, reject) => {
    const child = forkEngineProcess(cliPath, { args: ['doctor', '--json'], env });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
    child.on('error', reject);
    child.on('close', () => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = BackendReport.safeParse(JSON.parse(line));
        if (parsed.success) return resolve(parsed.data);
        reject(new Error(`unexpected doctor output: ${z.prettifyError(parsed.error)}`));
      } catch {
        reject(new Error(`latent-lab doctor failed: ${stderr.trim().split('\n').pop() ?? line.slice(0, 200)}`));
      }
    });
  });
}
