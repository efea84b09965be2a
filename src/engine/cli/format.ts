// How numbers read in a terminal.
import type { EpochEvent, StepPathChoice } from '../../shared/events';
import type { RecordedEvaluation } from '../../shared/evaluation';

export function formatEpoch(e: EpochEvent): string {
  const nll = e.testNll !== undefined ? `  test NLL(-L_${e.evalK}) ${e.testNll.toFixed(2)}` : '';
  return `epoch ${e.epoch + 1}: train bound ${e.trainBound.toFixed(2)}  held-out ELBO ${e.testElbo.toFixed(2)}  L_K ${e.testIwae.toFixed(2)}${nll}`;
}

export function formatFinal(f: RecordedEvaluation): string {
  return `test NLL (-L_${f.k}, ${f.examples} examples): ${f.testNll.toFixed(2)} ± ${f.standardError.toFixed(2)} nats; active units: ${f.activeUnits.join(' / ')}`;
}

/** "graph path", or "eager path: why". */
export function describeStepPath(p: StepPathChoice): string {
  return `${p.path} path${p.fallbackReason ? `: ${p.fallbackReason}` : ''}`;
}
