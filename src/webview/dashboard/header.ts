// The run header: which run, how it stands, what it optimizes, how far it is
// and how fast it goes, and the Stop button while it runs.
import type { FromWebview } from '../../shared/protocol';
import { h, icon, icons } from '../common/dom';
import { formatInt, formatValue } from '../common/format';
import { button, setButtonLabel, setDisabled } from '../common/toolkit';
import type { RunInfo } from './state';

const estimatorNames = { standard: 'standard gradients', stl: 'STL', dreg: 'DReG' } as const;

export function describeObjective(o: NonNullable<RunInfo['objective']>): string {
  const parts = [o.kind.toUpperCase()];
  if (o.kind !== 'vae' || o.k > 1) parts.push(`K = ${o.k}`);
  if (o.kind === 'miwae' || o.m > 1) parts.push(`M = ${o.m}`);
  if (o.beta !== undefined) parts.push(`β = ${o.beta}`);
  parts.push(estimatorNames[o.estimator]);
  return parts.join(' · ');
}

export class RunHeader {
  readonly element: HTMLElement;
  private readonly runId = h('h1', { class: 'run-id' });
  private readonly status = h('span', { class: 'status' });
  private readonly objective = h('span', { class: 'fact objective' });
  private readonly progressText = h('span', { class: 'fact progress-text' });
  private readonly speed = h('span', { class: 'fact speed' });
  private readonly ess = h('span', { class: 'fact ess', title: 'Effective sample size over K of the training batches\' log weights, at the last report: 1 when the K samples share the weight equally, 1/K when one takes it all' });
  private readonly stepPath = h('span', { class: 'fact step-path' });
  private readonly message = h('p', { class: 'run-message', hidden: true });
  private readonly bar = h('div', { class: 'progress-bar' });
  private readonly progress = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Training progress', 'aria-valuemin': 0, 'aria-valuemax': 100 }, this.bar);
  private readonly stop: HTMLElement;
  /** Set between a click on Stop and the run's next status, so the click is not sent twice. */
  private stopping = false;
  private shown: RunInfo | null = null;

  constructor(post: (m: FromWebview) => void) {
    this.stop = button('Stop', {
      appearance: 'secondary', icon: icon(icons.stop), title: 'Stop training after the current step (a checkpoint is kept)', className: 'stop',
      onClick: () => {
        this.stopping = true;
        setDisabled(this.stop, true);
        setButtonLabel(this.stop, 'Stopping…');
        post({ type: 'stopTraining' });
      },
    });
    this.element = h('header', { class: 'run-header' },
      h('div', { class: 'run-line' },
        h('div', { class: 'run-title' }, this.runId, this.status),
        h('div', { class: 'run-actions' }, this.stop)),
      h('div', { class: 'run-facts' }, this.objective, this.progressText, this.speed, this.ess, this.stepPath),
      this.progress,
      this.message);
  }

  render(run: RunInfo | null): void {
    if (run === this.shown) return;
    if (run?.status !== this.shown?.status || run?.runId !== this.shown?.runId) this.stopping = false;
    this.shown = run;
    this.element.hidden = run === null;
    if (!run) return;
    this.runId.textContent = run.runId;
    this.runId.title = run.dataset ? `${run.runId} · ${run.dataset}` : run.runId;
    this.status.textContent = run.status;
    this.status.className = `status status-${run.status}`;
    this.objective.textContent = run.objective ? describeObjective(run.objective) : '';
    this.objective.hidden = !run.objective;
    const total = run.totalSteps ?? 0;
    this.progressText.textContent = total > 0 ? `step ${formatInt(run.step)} / ${formatInt(total)}` : `step ${formatInt(run.step)}`;
    const fraction = total > 0 ? Math.min(1, run.step / total) : 0;
    this.progress.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    // A CSSOM write, which the CSP allows (it forbids style attributes in markup).
    this.bar.style.width = `${(fraction * 100).toFixed(2)}%`;
    this.progress.classList.toggle('done', run.status !== 'running');
    this.speed.textContent = run.imagesPerSec !== null ? `${formatValue(Math.round(run.imagesPerSec))} images/s` : '';
    this.speed.hidden = run.imagesPerSec === null;
    this.ess.textContent = run.essFraction !== null ? `ESS/K ${run.essFraction.toFixed(2)}` : '';
    this.ess.hidden = run.essFraction === null;
    // The eager path is several times slower: say so, and why, rather than let it pass unseen.
    this.stepPath.textContent = run.stepPath ? `${run.stepPath.path} path` : '';
    this.stepPath.title = run.stepPath?.fallbackReason ?? (run.stepPath ? 'Each step runs as one TensorFlow graph call' : '');
    this.stepPath.hidden = !run.stepPath;
    this.stepPath.classList.toggle('warning', run.stepPath?.path === 'eager');
    this.message.textContent = run.message ?? '';
    this.message.hidden = !run.message;
    this.message.classList.toggle('error', run.status === 'failed');
    this.stop.hidden = run.status !== 'running';
    if (!this.stopping) {
      setDisabled(this.stop, false);
      setButtonLabel(this.stop, 'Stop');
    }
  }
}
