// The child process of the fuzz test: runs each case of a batch through the
// real loaders and reports, one JSON line per event on stdout, when a case
// starts and how it ended, with the process's peak resident memory so far.
// A case that kills this process is the last one that started and never ended.
//
//   node --import tsx test/fuzz/runner.ts BATCH.json
// where BATCH.json lists { id, loader, path } (see harness.ts), or to rerun one case by hand:
//   node --import tsx test/fuzz/runner.ts --one data|checkpoint PATH
// (and `probe` cases, for the harness's own test: see protocol.ts).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadSplit } from '../../src/engine/data/load';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { LINE_PREFIX, type Loader, type Outcome, type RunnerCase, type RunnerLine } from './protocol';

async function loadData(path: string): Promise<string> {
  const { train, test } = await loadSplit(path);
  for (const d of [train, test]) {
    if (d.x.length !== d.n * d.d || !d.x.every(Number.isFinite)) throw new Error(`loaded a malformed dataset from ${path}`);
  }
  return `${train.n} + ${test.n} examples of ${train.d}`;
}

async function loadCheckpointAndModel(path: string): Promise<string> {
  const c = loadCheckpoint(path);
  // Only checkpoints need TensorFlow; batches of datasets never load it.
  const { restoreAdam, restoreModel } = await import('../../src/engine/checkpoint/modelState');
  const model = restoreModel(c, path);
  restoreAdam(model, c, path).dispose();
  model.dispose();
  return `checkpoint at step ${c.state.step}`;
}

async function probe(path: string): Promise<string> {
  const how = basename(path);
  if (how === 'crash') process.kill(process.pid, 'SIGSEGV');
  if (how === 'hang') await new Promise(() => setInterval(() => undefined, 1000));
  if (how === 'grow') return `grew by ${Buffer.alloc(400 * 2 ** 20, 1).length} bytes`;
  throw new TypeError(`Cannot read properties of undefined (reading '${how}')`);
}

const LOADERS: Record<Loader, (path: string) => Promise<string>> = { data: loadData, checkpoint: loadCheckpointAndModel, probe };

async function run(c: Pick<RunnerCase, 'loader' | 'path'>): Promise<Outcome> {
  try {
    return { kind: 'loaded', what: await LOADERS[c.loader](c.path) };
  } catch (e) {
    const err = e as Error & { file?: unknown };
    return { kind: 'error', name: err?.name ?? typeof e, ...(typeof err?.file === 'string' ? { file: err.file } : {}), message: String(err?.message ?? e) };
  }
}

function report(line: RunnerLine): void {
  process.stdout.write(`${LINE_PREFIX}${JSON.stringify(line)}\n`);
}

async function main(args: string[]): Promise<void> {
  if (args[0] === '--one') {
    console.log(await run({ loader: args[1] as Loader, path: args[2] }));
    return;
  }
  const cases = JSON.parse(readFileSync(args[0], 'utf8')) as RunnerCase[];
  if (cases.some((c) => c.loader === 'checkpoint')) await import('../../src/engine/checkpoint/modelState');
  report({ event: 'ready' });
  for (const c of cases) {
    report({ event: 'start', id: c.id });
    const outcome = await run(c);
    report({ event: 'end', id: c.id, outcome, maxRssKb: process.resourceUsage().maxRSS });
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
