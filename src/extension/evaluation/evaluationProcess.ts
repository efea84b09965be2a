// The extension's evaluation process: one request (src/shared/evaluationProtocol.ts)
// to a forked dist/evaluationWorker.js, its replies turned into a promise. Evaluate
// Checkpoint and the inspector (Evaluate, Analyze Gradients) come here, and the
// worker runs what `latent-lab eval` and `analyze gradients` run, so both give
// the same numbers. No vscode import.
// Cancelling kills the process (an estimate half done holds nothing worth
// saving) and settles once it has exited.
import type { GradientSnrStudy } from '../../shared/diagnostics';
import type { EvaluationResult } from '../../shared/evaluation';
import { EvaluationReply, type EvaluationRequest } from '../../shared/evaluationProtocol';
import type { Figures } from '../../shared/inspectorProtocol';
import { describeParetoK } from '../../engine/cli/format';
import { forkEngineProcess, TENSORFLOW_NOISE, type EngineProcessOptions } from '../engineProcess';

/** The worker's bundle, relative to the extension. */
export const EVALUATION_WORKER = 'dist/evaluationWorker.js';

export interface EvaluationProcessOptions extends Omit<EngineProcessOptions, 'stdout'> {
  /** The built worker (or its .ts source with tsx in `execArgv`, in tests). */
  workerPath: string;
}

export class EvaluationCancelled extends Error {
  constructor() {
    super('evaluation cancelled');
    this.name = 'EvaluationCancelled';
  }
}

export type Answer<R extends EvaluationRequest> = R extends { type: 'figures' } ? Figures : R extends { type: 'gradients' } ? GradientSnrStudy : EvaluationResult;

export function runEvaluation<R extends EvaluationRequest>(o: EvaluationProcessOptions, request: R, signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void): Promise<Answer<R>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new EvaluationCancelled());
    const child = forkEngineProcess(o.workerPath, { ...o, stdout: 'ignore' });
    let stderr = '';
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      fn();
    };
    let cancelled = false;
    const cancel = (): void => {
      cancelled = true;
      child.kill('SIGTERM');
    };
    signal?.addEventListener('abort', cancel, { once: true });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('message', (raw: unknown) => {
      const parsed = EvaluationReply.safeParse(raw);
      if (!parsed.success || cancelled) return;
      const reply = parsed.data;
      if (reply.type === 'progress') onProgress?.(reply.done, reply.total);
      else if (reply.type === 'error') settle(() => reject(new Error(reply.message)));
      else if (reply.type === 'figures' && request.type === 'figures') settle(() => resolve(reply.figures as Answer<R>));
      else if (reply.type === 'evaluation' && request.type === 'evaluate') settle(() => resolve(reply.result as Answer<R>));
      else if (reply.type === 'gradients' && request.type === 'gradients') settle(() => resolve(reply.study as Answer<R>));
    });
    child.on('error', (err) => settle(() => reject(err)));
    child.on('exit', (code, exitSignal) => settle(() => {
      if (cancelled) return reject(new EvaluationCancelled());
      const last = stderr.trim().split('\n').filter((l) => !TENSORFLOW_NOISE.test(l)).pop();
      reject(new Error(`the evaluation process exited (${exitSignal ?? `code ${code}`}) without an answer${last ? `: ${last}` : ''}`));
    }));
    child.send(request);
  });
}

/** Ks of the ladder a one-line summary names, when the evaluation has them. */
const SUMMARY_KS = [1, 5, 50];

/** "test NLL 87.43 ± 0.21 nats (-L_5000, 1000 examples) · 3 of 1000 examples with Pareto k-hat above 0.7 · active units 19 · L_1 … · L_inf …" */
export function formatEvaluation(r: EvaluationResult): string {
  const ladder = r.boundVsK.filter((b) => SUMMARY_KS.includes(b.k)).map((b) => `L_${b.k} ${b.bound.toFixed(2)} ± ${b.standardError.toFixed(2)}`);
  return [
    `test NLL ${r.testNll.toFixed(2)} ± ${r.standardError.toFixed(2)} nats (-L_${r.k}, ${r.examples} examples)`,
    ...(r.weights ? [describeParetoK(r.weights, r.examples)] : []),
    `active units ${r.activeUnits.join(' / ')}`,
    ...ladder,
    ...(r.fit?.holds ? [`L_inf ${r.fit.lInfinity.mean.toFixed(2)} ± ${r.fit.lInfinity.standardError.toFixed(2)}`] : []),
  ].join(' · ');
}
