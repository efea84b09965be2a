// Every engine process the extension starts (training, evaluation, the
// command line's native-backend set-up and report) is forked here, so what such a process needs from its environment is decided in one
// place. No vscode import.
import { fork, type ChildProcess } from 'node:child_process';

/** TensorFlow's own startup lines on an engine process's stderr, which say nothing about why it failed. */
export const TENSORFLOW_NOISE = /^\d{4}-\d\d-\d\d .*(I|W) tensorflow/;

export interface EngineProcessOptions {
  /** Where relative data paths resolve: the workspace folder. */
  cwd?: string;
  /** Node's flags for the child (tests run the TypeScript sources with tsx). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** What becomes of the child's stdout (its stderr is always piped, for error reports). */
  stdout?: 'pipe' | 'ignore';
  /** Command-line arguments (the CLI's subcommand and options). */
  args?: string[];
}

/** Forks `script` (a bundle in dist/) with an IPC channel. */
export function forkEngineProcess(script: string, o: EngineProcessOptions = {}): ChildProcess {
  return fork(script, o.args ?? [], {
    cwd: o.cwd,
    env: { TF_CPP_MIN_LOG_LEVEL: '2', ...process.env, ...o.env },
    stdio: ['ignore', o.stdout ?? 'pipe', 'pipe', 'ipc'],
    // Not the host's flags: under an extension debugger they would claim its inspector port.
    execArgv: o.execArgv ?? [],
  });
}
