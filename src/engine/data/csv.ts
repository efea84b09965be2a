// A numeric CSV: one example per row, every cell a decimal number float32 can
// hold. A first row that is not all numbers is a header, and a header column
// named `label` holds class ids instead of values. Rows are consumed as the
// parser reads them, so memory grows with the values, not with the text.
import { parse } from 'csv-parse/sync';
import { checkValueCount, MAX_VALUES } from './bounds';
import { DataError, type Dataset } from './dataset';
import { exceedsFloat32, isLabel, makeDataset, overflowsFloat32, withLabels } from './makeDataset';
import { readBytes } from './readBytes';

/** Plain decimal notation, as numpy and pandas write it: no hex, binary or octal prefixes, no digit separators. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NOT_FINITE = /^[+-]?(nan|inf(inity)?)$/i;

interface Layout {
  readonly header?: string[];
  readonly width: number;
  readonly labelColumn: number;
  /** 1-based line of the first data row, for messages. */
  readonly firstLine: number;
}

export async function loadCsv(file: string): Promise<Dataset> {
  const { bytes } = await readBytes(file);
  // csv-parse would read a binary file as one odd header; say what it is instead.
  if (bytes.includes(0)) throw new DataError(file, 'holds binary data (a NUL byte), not CSV text');
  let layout: Layout | undefined;
  const values = new Values(file);
  const labels: number[] = [];
  parseRows(file, bytes, (cells, line) => {
    if (!layout) {
      layout = readLayout(file, cells, line);
      if (layout.header) return;
    }
    readRow(file, cells, line, layout, values, labels);
  });
  if (labels.length === 0) throw new DataError(file, layout?.header ? 'empty: a header but no rows of numbers' : 'empty: no rows of numbers');
  const { width, labelColumn } = layout as Layout;
  const data = makeDataset(file, values.take(), labels.length, width - (labelColumn >= 0 ? 1 : 0));
  return labelColumn >= 0 ? withLabels(data, Int32Array.from(labels), file) : data;
}

function parseRows(file: string, bytes: Buffer, onRow: (cells: string[], line: number) => void): void {
  try {
    parse(bytes, {
      bom: true, trim: true, skip_empty_lines: true, relax_column_count: true,
      // Returning nothing drops the record, so the parser keeps none of them.
      on_record: (record: string[], context) => { onRow(record, context.lines); return null; },
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(file, `not valid CSV (${(e as Error).message})`);
  }
}

function readLayout(file: string, first: string[], line: number): Layout {
  const header = first.every(looksNumeric) ? undefined : first;
  const labelColumns = (header ?? []).flatMap((name, column) => (name.toLowerCase() === 'label' ? [column] : []));
  if (labelColumns.length > 1) {
    throw new DataError(file, `the header has ${labelColumns.length} columns named "label" (columns ${labelColumns.map((c) => c + 1).join(', ')}); only one can hold the labels`);
  }
  return { header, width: first.length, labelColumn: labelColumns[0] ?? -1, firstLine: header ? line + 1 : line };
}

function readRow(file: string, cells: string[], line: number, layout: Layout, values: Values, labels: number[]): void {
  const { header, width, labelColumn } = layout;
  if (cells.length !== width) {
    throw new DataError(file, `line ${line} has ${cells.length} columns but ${header ? 'the header' : `line ${layout.firstLine}`} has ${width}`);
  }
  let label = 0;
  cells.forEach((text, column) => {
    const value = cellValue(file, text, line, column, header);
    if (column !== labelColumn) values.push(value, line);
    else if (isLabel(value)) label = value;
    else throw new DataError(file, `${where(line, column, header)}: "${text}" is not a label (a whole number from 0 up)`);
  });
  labels.push(label);
}

function cellValue(file: string, text: string, line: number, column: number, header: string[] | undefined): number {
  const at = where(line, column, header);
  if (text === '') throw new DataError(file, `${at}: empty cell`);
  if (NOT_FINITE.test(text)) throw new DataError(file, `${at}: "${text}" is not a finite number`);
  if (!DECIMAL.test(text)) throw new DataError(file, `${at}: "${text}" is not a decimal number`);
  const value = Number(text);
  // The text is decimal, so a value that is not finite (1e400) overflowed too.
  if (!Number.isFinite(value) || overflowsFloat32(value)) throw new DataError(file, `${at}: ${exceedsFloat32(`"${text}"`)}`);
  return value;
}

/** Whether a cell is meant as a number, even one the loader refuses (NaN, 0x10, an empty cell), so that a data row holding it is not taken for a header and gets the message about it. */
function looksNumeric(text: string): boolean {
  return !Number.isNaN(Number(text)) || NOT_FINITE.test(text);
}

function where(line: number, column: number, header: string[] | undefined): string {
  return `line ${line}, column ${column + 1}${header ? ` ("${header[column]}")` : ''}`;
}

/** float32 values appended one at a time, in a buffer that doubles when full, up to the dataset bound. */
class Values {
  private buffer = new Float32Array(1024);
  private length = 0;

  constructor(private readonly file: string) {}

  push(value: number, line: number): void {
    if (this.length === this.buffer.length) this.grow(line);
    this.buffer[this.length++] = value;
  }

  take(): Float32Array {
    return this.buffer.slice(0, this.length);
  }

  private grow(line: number): void {
    checkValueCount(this.file, this.length + 1, `the rows up to line ${line}`);
    const bigger = new Float32Array(Math.min(2 * this.buffer.length, MAX_VALUES));
    bigger.set(this.buffer);
    this.buffer = bigger;
  }
}
