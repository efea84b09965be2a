// `latent-lab study`: a K study as one command. Each (objective, K, seed) is
// an ordinary run in the runs folder; the study's manifest beside them says
// which runs belong to it and, once all are trained and evaluated, what they
// found (study/findings.ts). Ctrl-C stops every run at its next step, saved;
// the same command continues.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { StudyPlan, type StudyManifest, type StudyObjective } from '../../shared/study';
import { StudyRun, manifestPath, openStudy, readStudy, studyName, type Launch } from '../study/studyRun';

export interface StudyOptions {
  data?: string;
  objectives: StudyObjective[];
  k: number[];
  epochs?: number;
  schedule?: 'burda';
  seeds: number[];
  parallel: number;
  name?: string;
  runs: string;
  evalK: number;
  evalSeed: number;
  resume?: string;
  json?: boolean;
}

export async function studyCommand(o: StudyOptions, trainArgs: string[]): Promise<void> {
  const runsFolder = resolve(o.runs);
  const plan = o.resume ? resumedPlan(runsFolder, o.resume) : newPlan(o, trainArgs);
  const manifest = openStudy(runsFolder, plan);
  const note = (message: string) => process.stderr.write(`${message}\n`);
  if (o.parallel > cpus().length) note(`--parallel ${o.parallel} on ${cpus().length} cores: the runs will compete for them`);
  const study = new StudyRun(runsFolder, manifest, launchCli(), note);
  let stopRequested = false;
  const onSignal = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    note('stopping every run after its current step (Ctrl-C again to abort without saving)');
    study.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let done: StudyManifest;
  try {
    done = await study.run(o.parallel);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (o.json) console.log(JSON.stringify(done));
  else console.log(formatStudy(done, manifestPath(runsFolder, plan.name)));
  if (done.status === 'failed') throw new Error(done.message ?? 'the study failed');
}

function newPlan(o: StudyOptions, trainArgs: string[]): StudyPlan {
  if (!o.data) throw new Error('--data is required (or --resume a study)');
  if ((o.epochs === undefined) === (o.schedule === undefined)) throw new Error('choose one of --epochs N and --schedule burda');
  const name = o.name ?? studyName();
  const parsed = StudyPlan.safeParse({
    name, data: resolve(o.data), objectives: o.objectives, ks: o.k, seeds: o.seeds,
    schedule: o.schedule === 'burda' ? { kind: 'burda' } : { kind: 'fixed', epochs: o.epochs },
    evalK: o.evalK, evalSeed: o.evalSeed, trainArgs,
  });
  if (!parsed.success) throw new Error(`invalid study: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function resumedPlan(runsFolder: string, name: string): StudyPlan {
  const path = manifestPath(runsFolder, name);
  const existing = readStudy(path);
  if (!existing) throw new Error(`${path}: no such study`);
  return existing.plan;
}

/** This same command line, as child processes (the backend folder travels in the environment). */
function launchCli(): Launch {
  const cli = process.argv[1];
  return (args, onLine) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      onLine(line);
    });
    const done = new Promise<{ code: number | null; stdout: string }>((resolveDone) => {
      child.on('close', (code) => resolveDone({ code, stdout }));
      child.on('error', (err) => resolveDone({ code: null, stdout: `${stdout}${err.message}\n` }));
    });
    return { done, stop: () => child.kill('SIGINT') };
  };
}

export function formatStudy(m: StudyManifest, file: string): string {
  const lines = [`study ${m.plan.name}: ${m.status}${m.message ? ` (${m.message})` : ''}`, `manifest ${file}`];
  const r = m.results;
  if (!r) return lines.join('\n');
  lines.push('', `test NLL (-L_${m.plan.evalK}) on ${r.examples} test examples, over ${m.plan.seeds.length} seed${m.plan.seeds.length > 1 ? 's' : ''}`,
    'objective     K   test NLL   ± test set   ± seeds   active units   overfitting');
  for (const p of r.points) {
    const seeds = p.testNllBetweenSeeds === undefined ? '-' : p.testNllBetweenSeeds.toFixed(2);
    lines.push(`${p.objective.toUpperCase().padEnd(9)} ${String(p.k).padStart(5)} ${p.testNll.mean.toFixed(2).padStart(10)} ${p.testNll.standardError.toFixed(2).padStart(12)} ${seeds.padStart(9)} ${p.activeUnits.toFixed(1).padStart(14)} ${p.overfitting.toFixed(2).padStart(13)}`);
  }
  lines.push('', 'findings:', ...r.findings.map((f) => `- ${f.sentence}`));
  return lines.join('\n');
}
