// A numeric CSV: one example per row, every cell a decimal number float32 can
// hold. A first row that is not all numbers is a header, and a header column
// named `label` holds class ids instead of values. Rows are consumed as the
// text streams through the parser, so memory grows with the values, not the text.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { formatBytes } from '../files/readRegularFile';
import { checkValueCount, MAX_VALUES } from './bounds';
import { DataError, type Dataset } from './dataset';
import { exceedsFloat32, isLabel, makeDataset, overflowsFloat32, withLabels } from './makeDataset';
import { readChunks } from './readBytes';

/** Plain decimal notation, as numpy and pandas write it: no hex, binary or octal prefixes, no digit separators. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NOT_FINITE = /^[+-]?(nan|inf(inity)?)$/i;
/** csv-parse slows down more than linearly on very long rows; no row of numbers comes near this. */
const MAX_ROW_BYTES = 2 * 2 ** 20;

interface Layout {
  readonly header?: string[];
  readonly width: number;
  readonly labelColumn: number;
  /** 1-based line of the first data row, for messages. */
  readonly firstLine: number;
}

export async function loadCsv(file: string): Promise<Dataset> {
  let layout: Layout | undefined;
  const values = new Growing(file, (n) => new Float32Array(n));
  // One per row, also without a label column: it counts the rows.
  const labels = new Growing(file, (n) => new Int32Array(n));
  await parseRows(file, (cells, line) => {
    if (!layout) {
      layout = readLayout(file, cells, line);
      if (layout.header) return;
    }
    readRow(file, cells, line, layout, values, labels);
  });
  if (labels.count === 0) throw new DataError(file, layout?.header ? 'empty: a header but no rows of numbers' : 'empty: no rows of numbers');
  const { width, labelColumn } = layout as Layout;
  const data = makeDataset(file, values.take(), labels.count, width - (labelColumn >= 0 ? 1 : 0));
  return labelColumn >= 0 ? withLabels(data, labels.take(), file) : data;
}

/** Calls `onRow` for each row as the (decompressed) text streams through the parser, which keeps none of them. */
async function parseRows(file: string, onRow: (cells: string[], line: number) => void): Promise<void> {
  const parser = parse({
    bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_ROW_BYTES,
    // Returning nothing drops the record.
    on_record: (record: string[], context) => { onRow(record, context.lines); return null; },
  });
  try {
    await pipeline(textOf(file), parser, new Writable({ objectMode: true, write: (_record, _encoding, done) => done() }));
  } catch (e) {
    if (e instanceof DataError) throw e;
    const { code, message } = e as { code?: string; message: string };
    if (code === 'CSV_MAX_RECORD_SIZE') {
      const line = /at line (\d+)/.exec(message)?.[1];
      throw new DataError(file, `${line ? `line ${line}` : 'a row'} is longer than ${formatBytes(MAX_ROW_BYTES)}: not a row of numbers (an unclosed quote?); data that wide reads faster from .npy`);
    }
    throw new DataError(file, `not valid CSV (${message})`);
  }
}

async function* textOf(file: string): AsyncGenerator<Buffer> {
  for await (const chunk of readChunks(file)) {
    // csv-parse would read a binary file as one odd header; say what it is instead.
    if (chunk.includes(0)) throw new DataError(file, 'holds binary data (a NUL byte), not CSV text');
    yield chunk;
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

function readRow(file: string, cells: string[], line: number, layout: Layout, values: Growing<Float32Array>, labels: Growing<Int32Array>): void {
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
  labels.push(label, line);
}

function cellValue(file: string, text: string, line: number, column: number, header: string[] | undefined): number {
  const at = where(line, column, header);
  if (text === '') throw new DataError(file, `${at}: empty cell`);
  if (NOT_FINITE.test(text)) throw new DataError(file, `${at}: "${text}" is not a finite number`);
  if (!DECIMAL.test(text)) {
    const separator = /[;\t|]/.exec(text)?.[0];
    const hint = separator ? ` (only commas separate cells; is this file separated by ${JSON.stringify(separator)}?)` : '';
    throw new DataError(file, `${at}: "${text}" is not a decimal number${hint}`);
  }
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

/** Numbers appended one at a time, in a typed array that doubles when full, up to the dataset bound. */
class Growing<T extends Float32Array | Int32Array> {
  private buffer: T;
  private length = 0;

  constructor(private readonly file: string, private readonly make: (length: number) => T) {
    this.buffer = make(1024);
  }

  get count(): number {
    return this.length;
  }

  push(value: number, line: number): void {
    if (this.length === this.buffer.length) this.grow(line);
    this.buffer[this.length++] = value;
  }

  take(): T {
    return this.buffer.slice(0, this.length) as T;
  }

  private grow(line: number): void {
    checkValueCount(this.file, this.length + 1, `the rows up to line ${line}`);
    const bigger = this.make(Math.min(2 * this.buffer.length, MAX_VALUES));
    bigger.set(this.buffer);
    this.buffer = bigger;
  }
}
