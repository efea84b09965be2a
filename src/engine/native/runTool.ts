// Runs one external tool of a set-up (pip, Python, the C++ compiler, a Node
// that loads a backend) with cancellation, and turns a failure into one line
// that says which tool failed and the last thing it printed.
import { spawn, spawnSync } from 'node:child_process';

export interface ToolRun {
  stdout: string;
  stderr: string;
}

export class ToolError extends Error {
  constructor(what: string, detail: string) {
    super(`${what} failed: ${detail}`);
    this.name = 'ToolError';
  }
}

export function runTool(cmd: string, args: string[], what: string, o: { cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(o.signal.reason);
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout = (stdout + s).slice(-64_000)));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-64_000)));
    // Cancelled, the tool is killed, but it may still write for a moment: the caller
    // removes its folder only once it has exited, so nothing is recreated after.
    child.on('error', (err) => {
      if (!o.signal?.aborted) reject(new ToolError(what, err.message));
    });
    child.on('close', (code, signal) => {
      if (o.signal?.aborted) return reject(o.signal.reason);
      if (code === 0) return resolve({ stdout, stderr });
      reject(new ToolError(what, lastLines(stderr || stdout) || (signal ? `killed by ${signal}` : `exit code ${code}`)));
    });
  });
}

/** The first of `candidates` that runs `args` successfully (e.g. `--version`). */
export function firstWorking(candidates: (string | undefined)[], args: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  return candidates.find((c): c is string => Boolean(c) && spawnSync(c!, args, { env, stdio: 'ignore', timeout: 30_000 }).status === 0);
}

/** What a tool's output says went wrong: a thrown error's own line (not its stack), else its last lines, TensorFlow's start-up chatter left out. */
export function lastLines(text: string, n = 2): string {
  const lines = text.split('\n').map((l) => l.trim())
    .filter((l) => l && !/oneDNN custom operations|cpu_feature_guard|absl::InitializeLog|To enable the following instructions/.test(l));
  return lines.filter((l) => /^\w*Error( \[\w+\])?: /.test(l)).pop() ?? lines.slice(-n).join(' | ');
}
