// Runs fuzz cases through the real loaders in child processes (runner.ts) under
// a memory cap and a time limit, and judges how each one ended. Cases are
// batched, many per child, to pay for process start-up (and TensorFlow's) once;
// a child that dies or stops answering is blamed on the case it had started,
// and a fresh child carries on with the rest of the batch.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import type { FuzzCase } from './cases';
import { LINE_PREFIX, type Outcome, type RunnerCase, type RunnerLine } from './protocol';

export interface Limits {
  /** Peak resident memory a child may reach (it starts at about 100 MB, 450 MB with TensorFlow). */
  readonly maxRssMb: number;
  /** Longest a single case may take before it counts as hung; generous, because the machine is shared. */
  readonly caseSeconds: number;
}

export interface Verdict {
  readonly case: FuzzCase;
  /** Why the case failed, or undefined when it ended as a loaded dataset or a clear error naming its file. */
  readonly failure?: string;
  readonly outcome?: Outcome;
}

const RUNNER = join(import.meta.dirname, 'runner.ts');

/** Messages that come from a program's insides rather than from a loader that understood the problem. */
const INTERNAL_ERROR = /Cannot read propert|is not a function|is not iterable|is not defined|Invalid typed array length|Array buffer allocation failed|Maximum call stack|out of range|ERR_[A-Z_]+|Unexpected token|Invalid (array|string) length/;

/** Writes every case's files under `root`, one folder per case. */
export function writeCases(root: string, cases: readonly FuzzCase[]): void {
  for (const c of cases) {
    for (const f of c.files) {
      const path = join(root, c.id, f.path);
      mkdirSync(dirname(path), { recursive: true });
      if (f.special === 'fifo') execFileSync('mkfifo', [path]);
      else if (f.special === 'folder') mkdirSync(path);
      else if (f.special === 'device') symlinkSync('/dev/zero', path);
      else writeFileSync(path, f.bytes ?? Buffer.alloc(0));
    }
  }
}

/** Runs `cases` (already written under `root`) in `batches` children at a time and judges each. */
export async function runCases(root: string, cases: readonly FuzzCase[], limits: Limits, batches: number): Promise<Verdict[]> {
  // Contiguous runs of cases sorted by loader, so that most children never load TensorFlow (only checkpoints need it).
  const sorted = [...cases].sort((a, b) => a.loader.localeCompare(b.loader));
  const size = Math.ceil(sorted.length / batches);
  const groups = Array.from({ length: batches }, (_, i) => sorted.slice(i * size, (i + 1) * size));
  const verdicts = await Promise.all(groups.map((group, i) => runBatch(root, group, limits, join(root, `batch-${i}.json`))));
  return verdicts.flat();
}

async function runBatch(root: string, cases: readonly FuzzCase[], limits: Limits, batchFile: string): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  let remaining = [...cases];
  while (remaining.length > 0) {
    writeFileSync(batchFile, JSON.stringify(remaining.map((c): RunnerCase => ({ id: c.id, loader: c.loader, path: join(root, c.id, c.target) }))));
    const { ended, blamed, overCap, unstarted } = await runChild(batchFile, limits);
    if (unstarted) {
      // Nothing to blame on a case: the runner itself could not start, and would not for any of them.
      verdicts.push(...remaining.map((c) => ({ case: c, failure: unstarted })));
      break;
    }
    for (const c of remaining) {
      const end = ended.get(c.id);
      if (end) verdicts.push({ case: c, outcome: end.outcome, failure: judge(root, c, end.outcome, end.maxRssKb, limits) });
    }
    const doneIds = new Set(ended.keys());
    if (blamed) {
      const culprit = remaining.find((c) => c.id === blamed.id) as FuzzCase;
      verdicts.push({ case: culprit, failure: blamed.failure });
      doneIds.add(blamed.id);
    } else if (doneIds.size < remaining.length && !overCap) {
      // The child ended between cases without a word: blame the next case rather than loop forever.
      const next = remaining.find((c) => !doneIds.has(c.id)) as FuzzCase;
      verdicts.push({ case: next, failure: 'the runner exited before starting this case' });
      doneIds.add(next.id);
    }
    remaining = remaining.filter((c) => !doneIds.has(c.id));
  }
  return verdicts;
}

interface ChildResult {
  readonly ended: Map<string, { outcome: Outcome; maxRssKb: number }>;
  /** The case the child was running when it died or hung. */
  readonly blamed?: { id: string; failure: string };
  /** Whether the child was stopped after a case took it over the memory cap: its peak would count against every later case. */
  readonly overCap?: boolean;
  /** Why the child ended before it was ready to run a case. */
  readonly unstarted?: string;
}

/** One child over the batch file, killed when a case outlives the time limit. The data-segment limit
 * is a hard stop, so that a runaway allocation fails inside the child instead of taking the machine. */
function runChild(batchFile: string, limits: Limits): Promise<ChildResult> {
  const dataLimitKb = 2 * limits.maxRssMb * 1024;
  const node = [process.execPath, `--max-old-space-size=${limits.maxRssMb}`, '--import', 'tsx', RUNNER, batchFile].map(shellQuote).join(' ');
  const child = spawn('/bin/sh', ['-c', `ulimit -d ${dataLimitKb} 2>/dev/null; exec ${node}`], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  const ended = new Map<string, { outcome: Outcome; maxRssKb: number }>();
  let running: string | undefined;
  let stderr = '';
  let hung = false;
  let overCap = false;
  let ready = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (seconds: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, seconds * 1000);
  };
  // Start-up (TensorFlow's included) gets a few case-lengths before the first case.
  arm(4 * limits.caseSeconds);
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  createInterface({ input: child.stdout }).on('line', (text) => {
    // Once over the cap the child is being killed; what it says meanwhile (it may start the next case) does not count.
    if (!text.startsWith(LINE_PREFIX) || overCap) return;
    const line = JSON.parse(text.slice(LINE_PREFIX.length)) as RunnerLine;
    if (line.event === 'ready') {
      ready = true;
    } else if (line.event === 'start') {
      running = line.id;
      arm(limits.caseSeconds);
    } else if (line.event === 'end') {
      ended.set(line.id, { outcome: line.outcome, maxRssKb: line.maxRssKb });
      running = undefined;
      if (line.maxRssKb > limits.maxRssMb * 1024) {
        overCap = true;
        child.kill('SIGKILL');
      }
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Stack frames, braces and Node's version line say nothing about what went wrong.
      const said = stderr.split('\n').filter((l) => l.trim() && !/^\s*(at |[{}\]]|Node\.js v)/.test(l));
      const lastWords = said.find((l) => /Error\b/.test(l)) ?? (said.slice(-3).join(' | ') || '(none)');
      if (!ready) return resolve({ ended, unstarted: `the runner did not start (exit ${code ?? signal}): ${lastWords}` });
      if (running === undefined || overCap) return resolve({ ended, overCap });
      const how = hung ? `hung: no answer within ${limits.caseSeconds} s` : `crashed the loader process (exit ${code ?? signal})`;
      resolve({ ended, blamed: { id: running, failure: `${how}; its last words: ${lastWords}` } });
    });
  });
}

/** Why an outcome is not acceptable, or undefined when it is. */
function judge(root: string, c: FuzzCase, outcome: Outcome, maxRssKb: number, limits: Limits): string | undefined {
  if (maxRssKb > limits.maxRssMb * 1024) return `the loader process grew to ${Math.round(maxRssKb / 1024)} MB, over the ${limits.maxRssMb} MB cap`;
  if (outcome.kind === 'loaded') return undefined;
  const caseDir = join(root, c.id);
  if (outcome.name !== 'DataError' && outcome.name !== 'CheckpointError') return `${outcome.name} instead of a DataError or CheckpointError: ${outcome.message}`;
  if (!outcome.file || !outcome.file.startsWith(caseDir)) return `the error names ${outcome.file ?? 'no file'}, not a file of the case: ${outcome.message}`;
  if (!outcome.message.startsWith(`${outcome.file}: `)) return `the message does not start with the file it names: ${outcome.message}`;
  if (INTERNAL_ERROR.test(outcome.message)) return `the message reads like an internal error: ${outcome.message}`;
  return undefined;
}

export function describeFailure(seed: number, root: string, v: Verdict): string {
  const target = join(root, v.case.id, v.case.target);
  return `seed ${seed}, case ${v.case.id} (${v.case.description}): ${v.failure}\n` +
    `    rerun: node --import tsx ${relative(process.cwd(), RUNNER)} --one ${v.case.loader} ${target}`;
}

export function removeCases(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
