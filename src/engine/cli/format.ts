// How numbers read in a terminal.
import type { EpochEvent } from '../../shared/events';
import type { FinalEvaluation } from '../train/runDir';

export function formatEpoch(e: EpochEvent): string {
  const nll = e.testNll !== undefined ? `  test NLL(-L_${e.evalK}) ${e.testNll.toFixed(2)}` : '';
  return `epoch ${e.epoch + 1}: train bound ${e.trainBound.toFixed(2)}  held-out ELBO ${e.testElbo.toFixed(2)}  L_K ${e.testIwae.toFixed(2)}${nll}`;
}

export function formatFinal(f: FinalEvaluation): string {
  return `test NLL (-L_${f.evalK}, ${f.examples} examples): ${f.testNll.toFixed(2)} ± ${f.testNllStandardError.toFixed(2)} nats; active units: ${f.activeUnits.join(' / ')}`;
}
