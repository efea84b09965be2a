// Evaluating a checkpoint (-L_K on the held-out set, active units, L_1/L_5/L_50)
// is `latent-lab eval --json` run in a child process: the same code and
// numbers as the command line, off the extension host. No vscode import.
import { fork } from 'node:child_process';
import { z } from 'zod';

const finite = z.number().finite();

/** What `latent-lab eval --json` prints (src/engine/cli/eval.ts). */
export const EvalResult = z.object({
  checkpoint: z.string(),
  examples: z.number().int().nonnegative(),
  k: z.number().int().positive(),
  testNll: finite,
  standardError: finite,
  activeUnits: z.array(z.number().int().nonnegative()),
  bounds: z.record(z.string(), finite),
  seconds: finite,
});
export type EvalResult = z.infer<typeof EvalResult>;

export interface EvalRequest {
  /** The built command line, dist/cli.js. */
  cliPath: string;
  /** A checkpoint file or a run folder. */
  checkpoint: string;
  k: number;
  /** Held-out examples to use (0 or absent: all). */
  examples?: number;
  /** Where the data path stored in the checkpoint resolves, when relative. */
  cwd?: string;
  /** Added to the process's environment (which native backend to load). */
  env?: NodeJS.ProcessEnv;
}

export class EvalCancelled extends Error {
  constructor() {
    super('evaluation cancelled');
    this.name = 'EvalCancelled';
  }
}

/** Rejects with EvalCancelled when `signal` aborts, and with the command's own one-line message when it fails. */
export function evaluateCheckpoint(request: EvalRequest, signal?: AbortSignal): Promise<EvalResult> {
  const args = ['eval', request.checkpoint, '--k', String(request.k), '--json'];
  if (request.examples) args.push('--examples', String(request.examples));
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new EvalCancelled());
    const child = fork(request.cliPath, args, {
      cwd: request.cwd, env: { TF_CPP_MIN_LOG_LEVEL: '2', ...process.env, ...request.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Not the host's flags: under an extension debugger they would claim its inspector port.
      execArgv: [],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const cancel = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', cancel, { once: true });
    child.on('error', (err) => {
      signal?.removeEventListener('abort', cancel);
      reject(err);
    });
    child.on('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', cancel);
      if (signal?.aborted) return reject(new EvalCancelled());
      if (code !== 0) {
        const last = stderr.trim().split('\n').pop()?.replace(/^latent-lab: /, '');
        return reject(new Error(last || `the evaluation exited with ${exitSignal ?? `code ${code}`}`));
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = EvalResult.safeParse(JSON.parse(line));
        if (parsed.success) resolve(parsed.data);
        else reject(new Error(`unexpected evaluation output: ${z.prettifyError(parsed.error)}`));
      } catch {
        reject(new Error(`unexpected evaluation output: ${line.slice(0, 200)}`));
      }
    });
  });
}

/** "test NLL 87.43 ± 0.21 nats (-L_5000, 10000 examples) · active units 19 · L_1 -95.1 · L_5 -91.2 · L_50 -89.0" */
export function formatEvalResult(r: EvalResult): string {
  const bounds = Object.entries(r.bounds).sort(([a], [b]) => Number(a) - Number(b)).map(([k, v]) => `L_${k} ${v.toFixed(2)}`);
  return [
    `test NLL ${r.testNll.toFixed(2)} ± ${r.standardError.toFixed(2)} nats (-L_${r.k}, ${r.examples} examples)`,
    `active units ${r.activeUnits.join(' / ')}`,
    ...bounds,
  ].join(' · ');
}
