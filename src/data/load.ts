import { CsvError, parse } from 'csv-parse/sync';
import { basename, extname } from 'node:path';
import { UserError, messageOf } from '../errors.js';
import { isDecimal } from '../io/number.js';
import { clip, oneLine } from '../io/one-line.js';
import { readText, shown, STANDARD_INPUT } from '../io/read.js';
import { showJson } from '../io/show-json.js';
import type { Dataset } from './dataset.js';

/** Larger files are refused: a scalar engine could not train on them in reasonable time anyway. */
export const MAX_DATA_FILE_BYTES = 16 * 1024 * 1024;

/** The name headers and file names give data read from standard input (`--data -`). */
export const STANDARD_INPUT_NAME = 'stdin';

/**
 * Read a dataset file: CSV (header optional, the last column is the target) or JSON
 * (`{"x": [[...], ...], "y": [...]}`). Every problem becomes a one-line UserError that names the
 * file (or standard input, `-`), the place and what was expected.
 */
export function loadDataset(path: string): Dataset {
  const text = readText(path, MAX_DATA_FILE_BYTES);
  const isJson = extname(path).toLowerCase() === '.json' || text.trimStart().startsWith('{');
  const { x, y } = isJson ? parseJson(text, shown(path)) : parseCsv(text, shown(path));
  return { name: path === STANDARD_INPUT ? STANDARD_INPUT_NAME : basename(path), source: path, x, y };
}

/** How csv-parse reads a data file: CSV as spreadsheets write it, plus blank lines and # comment lines. */
const CSV_OPTIONS = {
  bom: true,
  comment: '#',
  comment_no_infix: true, // a # inside a row is a character of its cell, not a comment
  skip_empty_lines: true,
  trim: true,
  relax_column_count: true, // a ragged row gets our message, which names the first row's width
  record_delimiter: '\n',
} as const;

/** A row of a CSV file: its cells and the line it starts on (a quoted cell may hold line breaks). */
interface CsvRow {
  cells: string[];
  line: number;
}

function parseCsv(text: string, path: string): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  let width = 0;
  let firstLine = 0;
  for (const { cells, line } of csvRows(text, path)) {
    const where = `${path}:${line}`;
    if (width === 0) {
      if (cells.length < 2) throw new UserError(`${where}: expected at least 2 columns (inputs, then the target)`);
      width = cells.length;
      firstLine = line;
      // A header: some cell is not a number, and some cell has no digit at all (`x,2020,y`). A row
      // of number-like cells with a typo (`1,2x,1`) is data, and its error is reported below.
      if (!cells.every((c) => isDecimal(c)) && cells.some((c) => !/\d/.test(c))) continue;
    }
    if (cells.length !== width) {
      throw new UserError(`${where}: ${cells.length} columns, expected ${width} like line ${firstLine}`);
    }
    const row = cells.map((cell, col) => parseCell(cell, `${where}: column ${col + 1}`));
    y.push(row[width - 1]);
    x.push(row.slice(0, width - 1));
  }
  if (x.length === 0) throw new UserError(`${path}: no data rows (expected lines like "0.5,1.2,-1")`);
  return { x, y };
}

/** The rows of CSV text, or a UserError naming the line where the text stops being CSV. */
function csvRows(text: string, path: string): CsvRow[] {
  // csv-parse would count a quoted \r\n as two lines: with \n alone its line numbers are the file's.
  const lines = text.replaceAll('\r\n', '\n');
  let end = 0; // the line the last row read ends on
  const starts: number[] = [];
  try {
    const rows = parse(lines, {
      ...CSV_OPTIONS,
      on_record: (cells, { lines: last }) => {
        end = last;
        starts.push(last - cells.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0));
        return cells;
      },
    });
    return rows.map((cells, i) => ({ cells, line: starts[i] }));
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new UserError(`${path}:${rowAfter(lines, end)}: a quoted cell has no closing quote (")`);
    }
    if (err.code === 'INVALID_OPENING_QUOTE' || err.code === 'CSV_INVALID_CLOSING_QUOTE') {
      throw new UserError(`${path}:${err.lines}: a quote (") inside a cell: quote the whole cell and double the quotes in it ("a ""b""")`);
    }
    throw new UserError(`${path}:${err.lines}: ${oneLine(err.message)}`);
  }
}

/** The line a row starts on after line `end`: the next that is not blank or a comment. */
function rowAfter(text: string, end: number): number {
  const lines = text.split('\n');
  let i = end;
  while (i < lines.length && (lines[i].trim() === '' || lines[i].trim().startsWith('#'))) i++;
  return i + 1;
}

function parseCell(cell: string, where: string): number {
  if (!isDecimal(cell)) throw new UserError(`${where}: "${clip(cell)}" is not a number`);
  const value = Number(cell);
  if (!Number.isFinite(value)) throw new UserError(`${where}: ${clip(cell)} is too large (not a finite number)`);
  return value;
}

function parseJson(text: string, path: string): { x: number[][]; y: number[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${messageOf(err)})`);
  }
  return samplesOf(doc, path);
}

/**
 * The samples of a parsed JSON document `{"x": [[...], ...], "y": [...]}`, every number checked;
 * problems are UserErrors that start with `where` (a data file, or a checkpoint's embedded data).
 */
export function samplesOf(doc: unknown, where: string): { x: number[][]; y: number[] } {
  const shape = 'expected {"x": [[numbers], ...], "y": [numbers]}';
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UserError(`${where}: ${shape}`);
  const { x, y } = doc as { x?: unknown; y?: unknown };
  if (!Array.isArray(x) || !Array.isArray(y)) throw new UserError(`${where}: ${shape}`);
  if (x.length === 0) throw new UserError(`${where}: "x" is empty, expected at least one sample`);
  if (x.length !== y.length) throw new UserError(`${where}: "x" has ${x.length} samples but "y" has ${y.length}`);
  const first = x[0];
  const width = Array.isArray(first) ? first.length : 0;
  if (width === 0) throw new UserError(`${where}: x[0] must be a non-empty array of numbers`);
  const rows = x.map((row: unknown, i) => {
    if (!Array.isArray(row)) throw new UserError(`${where}: x[${i}] is not an array of numbers`);
    if (row.length !== width) throw new UserError(`${where}: x[${i}] has ${row.length} numbers, expected ${width} like x[0]`);
    return row.map((v: unknown, j) => finite(v, `${where}: x[${i}][${j}]`));
  });
  return { x: rows, y: y.map((v: unknown, i) => finite(v, `${where}: y[${i}]`)) };
}

function finite(v: unknown, where: string): number {
  // JSON.parse turns a literal like 1e400 into Infinity, which JSON.stringify would show as null.
  if (typeof v === 'number' && !Number.isFinite(v)) throw new UserError(`${where}: ${v} is too large (not a finite number)`);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${where}: ${showJson(v)} is not a finite number`);
  return v;
}
