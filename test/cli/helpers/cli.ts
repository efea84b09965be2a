// The built CLI in child processes: run to the end, or started and watched line
// by line (events on stdout with --json, notes on stderr) so that a test acts
// when the run reaches a point, never after a sleep.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

export const cli = join(process.cwd(), 'dist', 'cli.js');
const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', ...extra });

// TensorFlow's native logger prints a oneDNN notice at library load that no
// log level silences; what the CLI itself writes is the rest.
const tensorflowBanner = /^(WARNING: All log messages before absl::InitializeLog\(\)|I\d{4} \d\d:\d\d:\d\d)/;
export const ownLines = (stderr: string): string[] => stderr.trim().split('\n').filter((line) => line && !tensorflowBanner.test(line));

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Node flags (a --require preload). */
  node?: string[];
  /** Another bundle of the CLI (default dist/cli.js). */
  script?: string;
}

export function runCli(args: string[], o: RunOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...(o.node ?? []), o.script ?? cli, ...args], { encoding: 'utf8', cwd: o.cwd, env: env(o.env), timeout: 5 * 60_000 });
}

/** A CLI process and the lines it has written so far. */
export class LiveCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], o: RunOptions = {}) {
    this.child = spawn(process.execPath, [...(o.node ?? []), o.script ?? cli, ...args], { cwd: o.cwd, env: env(o.env) });
    this.collect(this.child.stdout, this.stdout);
    this.collect(this.child.stderr, this.stderr);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => {
      resolve({ code, signal });
      this.wake();
    }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Events so far (with --json). */
  get events(): { type: string; step?: number; [key: string]: unknown }[] {
    return this.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }

  /** Resolves with the first line of `stream` matching `pattern`; rejects if the process exits first. */
  async line(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
    for (;;) {
      const found = this[stream].find((l) => pattern.test(l));
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`the CLI exited before writing ${pattern} on ${stream}:\n${[...this.stdout, ...this.stderr].join('\n')}`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private collect(stream: NodeJS.ReadableStream, lines: string[]): void {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
