// Run folders written by hand, in every state a trainer can leave one in.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';

export const tempDir = (prefix = 'll-runs-'): string => mkdtempSync(join(tmpdir(), prefix));

export function record(runId: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    format: 'latent-lab-run-record', runId, status: 'finished',
    config: {
      format: 'latent-lab-run', version: 1, runId,
      model: { inputDim: 4, layers: [{ hidden: [8], latent: 2 }], posterior: 'normal', prior: 'normal', priorComponents: 10, likelihood: 'bernoulli', likelihoodScale: 1 },
      objective: { kind: 'iwae', k: 5, m: 1, estimator: 'standard', analyticKl: false },
      training: {
        schedule: { kind: 'fixed', epochs: 3, learningRate: 1e-3 }, batchSize: 20, seed: 0, binarize: true, progressEvery: 25,
        evalExamples: 0, evalK: 100, nllEvery: 0, nllExamples: 0, checkpointSeconds: 60,
      },
      data: { path: 'data', fingerprint: 'abc', trainSize: 100, testSize: 20, dim: 4, kind: 'binary' },
    },
    created: '2026-11-20T10:00:00.000Z', updated: '2026-11-20T10:05:00.000Z', step: 15, epoch: 3,
    best: { testIwae: -2.5, epoch: 2 },
    final: {
      k: 100, examples: 20, seed: 0, testNll: 2.4, standardError: 0.1, activeUnits: [2],
      boundVsK: [{ k: 1, bound: -2.9, standardError: 0.2 }, { k: 100, bound: -2.4, standardError: 0.1 }], stepPath: { path: 'graph' }, seconds: 1.5,
    },
    stepPath: { path: 'graph' },
    imagesPerSec: 1234, elapsedSeconds: 12.5,
    ...extra,
  };
}

export function writeRun(runsFolder: string, id: string, files: { record?: RunRecord | string; checkpoint?: boolean; metrics?: string } = {}): string {
  const dir = join(runsFolder, id);
  mkdirSync(dir, { recursive: true });
  if (files.record !== undefined) writeFileSync(join(dir, 'run.json'), typeof files.record === 'string' ? files.record : JSON.stringify(files.record));
  if (files.checkpoint) writeFileSync(join(dir, 'checkpoint.safetensors'), 'x');
  if (files.metrics !== undefined) writeFileSync(join(dir, 'metrics.jsonl'), files.metrics);
  return dir;
}

export function epochLine(epoch: number, trainBound: number, testIwae: number): string {
  return JSON.stringify({ type: 'epoch', step: (epoch + 1) * 5, epoch, trainBound, testElbo: testIwae - 1, testIwae, time: epoch }) + '\n';
}
