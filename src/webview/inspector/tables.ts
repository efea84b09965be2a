// Key-value tables of the inspector: architecture, metrics, config and data.
import { PARETO_K_BAD } from '../../shared/diagnostics';
import type { CheckpointSummary } from '../../shared/inspectorProtocol';
import { h } from '../common/dom';
import { formatInt, formatValue, subscript } from '../common/format';

export type Rows = readonly (readonly [string, string, string?])[];

export function keyValueTable(rows: Rows, label: string): HTMLTableElement {
  return h('table', { class: 'kv', 'aria-label': label },
    h('tbody', {}, ...rows.map(([k, v, title]) => h('tr', {}, h('th', { scope: 'row', title }, k), h('td', { 'data-key': k }, v)))));
}

const nats = (v: number | undefined): string => (v === undefined ? '—' : `${formatValue(v)} nats`);

export function architectureRows(s: CheckpointSummary): Rows {
  const a = s.architecture;
  const input = a.network && a.imageShape ? [`${a.imageShape.join('×')}×${a.imageChannels ?? 1}`, ...a.network.channels.map((c) => `conv ${c}`)] : [String(a.inputDim)];
  const sizes = [...input, ...a.layers.flatMap((l) => [...l.hidden.map(String), `[${l.latent}]`])].join(' → ');
  const image = a.imageShape && `${a.imageShape[0]}×${a.imageShape[1]}${a.imageChannels ? `×${a.imageChannels}` : ''} images`;
  return [
    ['Encoder', sizes, 'Input, convolutions (stride 2), hidden widths (tanh) and latent sizes in brackets, bottom layer first; the decoder mirrors it'],
    ['Networks', a.network ? `convolutional next to the data (${a.network.kernel}×${a.network.kernel} kernels, stride 2), MLPs between latent layers` : 'MLPs'],
    ['Stochastic layers', String(a.layers.length)],
    ['Latent sizes', a.layers.map((l) => l.latent).join(' / ')],
    ['Posterior', a.posterior + posteriorDetail(a)],
    ['Prior', a.prior + (a.priorComponents ? ` (${a.priorComponents} ${a.prior === 'vamp' ? 'pseudo-inputs' : 'components'})` : '')],
    ['Likelihood', a.likelihood],
    ['Input', image ? `${a.inputDim} values (${image})` : `${a.inputDim} values`],
    ['Parameters', formatInt(a.parameterCount), 'Weights of the model; Adam\'s moments are stored beside them'],
  ];
}

function posteriorDetail(a: CheckpointSummary['architecture']): string {
  if (a.degreesOfFreedom !== undefined) return ` (ν = ${formatValue(a.degreesOfFreedom)})`;
  if (a.flow) return ` (${a.flow.steps} flow steps, MADE of ${a.flow.hidden} hidden units, context ${a.flow.context})`;
  return '';
}

export function metricRows(s: CheckpointSummary): Rows {
  const k = s.objective.k * s.objective.m;
  const last = s.last;
  const r = s.run;
  const f = r?.final;
  return [
    ['Epochs', `${s.state.epoch}${s.state.totalEpochs ? ` of ${s.state.totalEpochs}` : ''} (step ${formatInt(s.state.step)})`],
    ['Train bound', nats(last?.trainBound), 'Mean training bound over the last epoch'],
    ['Held-out ELBO', nats(last?.testElbo)],
    [`Held-out L${subscript(k)}`, nats(last?.testIwae)],
    [`Best L${subscript(k)}`, s.best ? `${nats(s.best.testIwae)} (epoch ${s.best.epoch + 1})` : '—'],
    ['Test NLL', f ? `${formatValue(f.testNll)} ± ${formatValue(f.standardError)} nats (−L${subscript(f.k)})` : '—',
      'From the run\'s final evaluation in run.json; Evaluate computes it again'],
    [`Pareto k̂ > ${PARETO_K_BAD}`, f?.weights ? `${formatInt(f.weights.paretoK.above07)} of ${formatInt(f.examples)} examples` : '—',
      'Examples whose importance weights are too heavy-tailed for −L_N to be trusted (PSIS k̂, Vehtari et al.)'],
    ['Active units', f?.activeUnits.length ? f.activeUnits.join(' / ') : '—'],
    ['Status', r ? r.status + (r.message ? `: ${r.message}` : '') : 'not in a run folder'],
    ['Training time', `${formatValue(s.state.elapsedSeconds)} s`],
  ];
}

export function configRows(s: CheckpointSummary): Rows {
  const o = s.objective;
  const objective: [string, string][] = [
    ['Objective', o.kind.toUpperCase()], ['K', String(o.k)], ['M', String(o.m)], ...(o.beta !== undefined ? [['β', String(o.beta)] as [string, string]] : []),
    ['Estimator', o.estimator], ['Analytic KL', o.analyticKl ? 'yes' : 'no'],
  ];
  const training = Object.entries(s.training).map(([key, v]) => [key, typeof v === 'object' ? JSON.stringify(v) : String(v)] as [string, string]);
  return [...objective, ...training];
}

export function dataRows(s: CheckpointSummary): Rows {
  const d = s.data;
  return [
    ['Path', d.path], ['Fingerprint', d.fingerprint, 'sha256 of the training values: a resume checks it'],
    ['Training examples', formatInt(d.trainSize)], ['Held-out examples', formatInt(d.testSize)], ['Values per example', String(d.dim)], ['Value kind', d.kind],
  ];
}
