// The runs table's columns: what each shows, and how it sorts. Pure, for tests.
import type { RunRow } from '../../shared/experimentsProtocol';

export type ColumnId = 'name' | 'status' | 'objective' | 'k' | 'm' | 'estimator' | 'epochs' | 'best' | 'nll' | 'units' | 'speed' | 'wall';

export interface Column {
  id: ColumnId;
  label: string;
  title: string;
  numeric: boolean;
  /** Sort key; undefined sorts last whichever the direction. */
  key(r: RunRow): number | string | undefined;
  text(r: RunRow): string;
}

/** One formatter per precision: toLocaleString builds a new one per call, which showed in a profile of 100 rows. */
const fixed = (digits: number) => {
  const format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return (v: number | undefined): string => (v === undefined ? '—' : format.format(v));
};
const twoDigits = fixed(2);
const noDigits = fixed(0);

export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

const sum = (a: number[] | undefined): number | undefined => (a ? a.reduce((x, y) => x + y, 0) : undefined);

export const COLUMNS: readonly Column[] = [
  { id: 'name', label: 'Run', title: 'Name (or run id) and tags', numeric: false, key: (r) => r.name.toLowerCase(), text: (r) => r.name },
  { id: 'status', label: 'Status', title: 'running, finished, stopped, failed, or unknown (no readable run.json)', numeric: false, key: (r) => r.status, text: (r) => r.status },
  { id: 'objective', label: 'Objective', title: 'VAE, IWAE, MIWAE, PIWAE or CIWAE', numeric: false, key: (r) => r.objective?.kind, text: (r) => r.objective?.kind.toUpperCase() ?? '—' },
  { id: 'k', label: 'K', title: 'Importance samples per group', numeric: true, key: (r) => r.objective?.k, text: (r) => String(r.objective?.k ?? '—') },
  { id: 'm', label: 'M', title: 'Groups of K (MIWAE, PIWAE)', numeric: true, key: (r) => r.objective?.m, text: (r) => String(r.objective?.m ?? '—') },
  { id: 'estimator', label: 'Estimator', title: 'Gradient estimator: standard, STL or DReG', numeric: false, key: (r) => r.objective?.estimator, text: (r) => r.objective?.estimator ?? '—' },
  { id: 'epochs', label: 'Epochs', title: 'Epochs completed of those planned', numeric: true, key: (r) => r.epochs, text: (r) => (r.epochs === undefined ? '—' : `${r.epochs}${r.totalEpochs ? ` / ${r.totalEpochs}` : ''}`) },
  { id: 'best', label: 'Best L_K', title: 'Best held-out bound with the run\'s K (nats, higher is better)', numeric: true, key: (r) => r.bestBound, text: (r) => twoDigits(r.bestBound) },
  { id: 'nll', label: 'Test NLL', title: '-L_5000 on the test set from the final evaluation (nats, lower is better)', numeric: true, key: (r) => r.testNll, text: (r) => twoDigits(r.testNll) },
  { id: 'units', label: 'Active units', title: 'Latent units with Cov_x(E_q[z]) > 0.01, per stochastic layer', numeric: true, key: (r) => sum(r.activeUnits), text: (r) => r.activeUnits?.join(' / ') ?? '—' },
  { id: 'speed', label: 'Images/s', title: 'Training throughput at the last report', numeric: true, key: (r) => r.imagesPerSec, text: (r) => noDigits(r.imagesPerSec) },
  { id: 'wall', label: 'Wall time', title: 'Training time, excluding time stopped', numeric: true, key: (r) => r.wallSeconds, text: (r) => duration(r.wallSeconds) },
];

export interface SortOrder {
  column: ColumnId;
  descending: boolean;
}

export function sortRows(rows: readonly RunRow[], order: SortOrder): RunRow[] {
  const column = COLUMNS.find((c) => c.id === order.column) ?? COLUMNS[0];
  const sign = order.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = column.key(a);
    const y = column.key(b);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}

export function matches(r: RunRow, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return [r.name, r.id, r.status, r.objective?.kind ?? '', ...r.tags].some((s) => s.toLowerCase().includes(f));
}
