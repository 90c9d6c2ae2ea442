import type { z } from 'zod';
import { textProblem } from '../../../contract/unsafe-text.ts';
import { parseCsv } from './csv-text.ts';
import { NewDevice } from './device.ts';

/**
 * Row numbers follow the spreadsheet convention: the header is row 1, so the first data
 * row is row 2. A quoted cell spanning several lines still counts as one row, because
 * that is what after-sales sees in their spreadsheet.
 */
export const HEADER_ROW = 1;
export const MAX_IMPORT_ROWS = 10_000;

/** The NewDevice fields flattened into columns, in the order a template file lists them. */
export const CSV_COLUMNS = [
  'serial',
  'model',
  'firmware',
  'productionDate',
  'saleDate',
  'receiptDate',
  'customerName',
  'customerContacts',
  'customerPhone',
  'customerAddress',
  'businessLine',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly CsvColumn[] = ['serial', 'model'];

// Where each column lands in a NewDevice; also used to name the column of a zod issue.
const COLUMN_PATHS: Record<CsvColumn, readonly [string] | readonly ['customer', string]> = {
  serial: ['serial'],
  model: ['model'],
  firmware: ['firmware'],
  productionDate: ['productionDate'],
  saleDate: ['saleDate'],
  receiptDate: ['receiptDate'],
  customerName: ['customer', 'name'],
  customerContacts: ['customer', 'contacts'],
  customerPhone: ['customer', 'phone'],
  customerAddress: ['customer', 'address'],
  businessLine: ['customer', 'businessLine'],
};

export interface FieldError {
  /** The CSV column at fault; null when the row as a whole is (e.g. a wrong cell count). */
  field: string | null;
  message: string;
}

export interface RowError {
  row: number;
  serial: string | null;
  errors: FieldError[];
}

export type CsvImportErrorCode = 'CSV_MALFORMED' | 'IMPORT_INVALID' | 'IMPORT_TOO_LARGE';

export type CsvImportResult =
  | { ok: true; devices: Array<{ row: number; device: NewDevice }> }
  | { ok: false; error: { code: CsvImportErrorCode; details: RowError[] } };

function malformed(message: string, field: string | null = null, row = HEADER_ROW): CsvImportResult {
  return { ok: false, error: { code: 'CSV_MALFORMED', details: [{ row, serial: null, errors: [{ field, message }] }] } };
}

/** Maps header cells (case-insensitive, trimmed) to columns, or explains what is wrong. */
function readHeader(cells: string[]): { ok: true; columns: CsvColumn[] } | { ok: false; result: CsvImportResult } {
  const byLower = new Map(CSV_COLUMNS.map((c) => [c.toLowerCase(), c] as const));
  const columns: CsvColumn[] = [];
  for (const raw of cells) {
    const column = byLower.get(raw.trim().toLowerCase());
    if (!column) return { ok: false, result: malformed(`unknown column; expected some of: ${CSV_COLUMNS.join(', ')}`, raw) };
    if (columns.includes(column)) return { ok: false, result: malformed('column appears twice', column) };
    columns.push(column);
  }
  const missing = REQUIRED_COLUMNS.find((c) => !columns.includes(c));
  if (missing) return { ok: false, result: malformed('required column missing', missing) };
  return { ok: true, columns };
}

/** Builds the NewDevice input from a row; an empty cell means the field is absent. */
function rowToInput(columns: readonly CsvColumn[], cells: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const customer: Record<string, string> = {};
  columns.forEach((column, idx) => {
    const value = (cells[idx] ?? '').trim();
    if (value === '') return;
    const path = COLUMN_PATHS[column];
    if (path[0] === 'customer') customer[path[1]!] = value;
    else input[path[0]] = value;
  });
  if (Object.keys(customer).length > 0) input.customer = customer;
  return input;
}

function columnOf(issue: z.core.$ZodIssue): string | null {
  const [head, sub] = issue.path.map(String);
  if (head === undefined) return null;
  if (head !== 'customer') return head;
  // A missing customer object cannot happen (only built when a cell is set), so a bare
  // `customer` path means a whole-object rule; blame the name column.
  const hit = CSV_COLUMNS.find((c) => COLUMN_PATHS[c][0] === 'customer' && COLUMN_PATHS[c][1] === sub);
  return hit ?? 'customerName';
}

/** Cells breaking the text rule every entry point shares (contract/unsafe-text.ts). */
function unsafeCells(columns: readonly CsvColumn[], cells: readonly string[]): FieldError[] {
  return cells.flatMap((cell, idx) => {
    const problem = textProblem(cell);
    return problem ? [{ field: columns[idx] ?? null, message: problem }] : [];
  });
}

/**
 * Parses an after-sales CSV into NewDevice rows. All or nothing: any bad row (including a
 * serial repeated inside the file) makes the whole file an error listing every bad row.
 */
export function parseDeviceCsv(text: string): CsvImportResult {
  const parsed = parseCsv(text);
  if (!parsed.ok) return malformed(parsed.error.message, null, parsed.error.row);
  const [headerCells, ...rest] = parsed.records;
  if (!headerCells) return malformed('the file is empty; the first row must name the columns');
  const badHeaderCell = headerCells.map(textProblem).find((p) => p !== null);
  if (badHeaderCell) return malformed(`a header cell ${badHeaderCell}`);
  const header = readHeader(headerCells);
  if (!header.ok) return header.result;
  const { columns } = header;

  const data = rest.map((cells, idx) => ({ row: HEADER_ROW + 1 + idx, cells })).filter(({ cells }) => cells.some((c) => c.trim() !== ''));
  if (data.length === 0) return malformed('no data rows after the header');
  if (data.length > MAX_IMPORT_ROWS) {
    const row = data[MAX_IMPORT_ROWS]!.row;
    const message = `at most ${MAX_IMPORT_ROWS} devices per import; split the file`;
    return { ok: false, error: { code: 'IMPORT_TOO_LARGE', details: [{ row, serial: null, errors: [{ field: null, message }] }] } };
  }

  const devices: Array<{ row: number; device: NewDevice }> = [];
  const bad: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of data) {
    const serialCell = (cells[columns.indexOf('serial')] ?? '').trim();
    const errors: FieldError[] = [];
    if (cells.length !== columns.length) {
      errors.push({ field: null, message: `expected ${columns.length} cells like the header, found ${cells.length}` });
    }
    errors.push(...unsafeCells(columns, cells));
    const result = NewDevice.safeParse(rowToInput(columns, cells));
    if (!result.success) errors.push(...result.error.issues.map((i) => ({ field: columnOf(i), message: i.message })));
    if (serialCell !== '') {
      const first = firstRowOf.get(serialCell);
      if (first !== undefined) errors.push({ field: 'serial', message: `duplicate of row ${first}` });
      else firstRowOf.set(serialCell, row);
    }
    if (errors.length > 0) bad.push({ row, serial: serialCell || null, errors });
    else if (result.success) devices.push({ row, device: result.data });
  }
  if (bad.length > 0) return { ok: false, error: { code: 'IMPORT_INVALID', details: bad } };
  return { ok: true, devices };
}
