import { CsvError, parse, type Options } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/*
 * RFC 4180 text over csv-parse and csv-stringify (pure functions of a string; no I/O).
 * What this module adds: errors are values naming the row, and the reading rules the
 * import promises (CRLF, LF or CR line ends, even mixed; a leading UTF-8 BOM, as Excel
 * writes; rows of any length, since the import reports a wrong cell count per row).
 */

export type CsvParseResult = { ok: true; records: string[][] } | { ok: false; error: { row: number; message: string } };

const READ_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  // An array, not auto-detection: csv-parse would fix the first line end it meets for the whole file.
  record_delimiter: ['\r\n', '\n', '\r'],
};

// Our words for what RFC 4180 §2 forbids, instead of the library's sentences.
const MESSAGES: Partial<Record<CsvError['code'], string>> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
  // §2.5: an unquoted field may not hold a quote.
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field; quote the whole field and double the quote ("5"" display")',
};

/**
 * Parses RFC 4180 CSV into records of cells. A blank line is a record of one empty cell
 * (row numbers count it); a trailing line break does not start a record. A malformed
 * file answers the row (record, 1-based) where the fault is.
 */
export function parseCsv(text: string): CsvParseResult {
  const shielded = shieldLoneSurrogates(text);
  try {
    const records = parse(shielded.text, READ_OPTIONS);
    return { ok: true, records: shielded.restore(records) };
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // `records` counts the records finished before the fault; the fault is in the next one.
    const row = (typeof err.records === 'number' ? err.records : 0) + 1;
    return { ok: false, error: { row, message: MESSAGES[err.code] ?? err.message } };
  }
}

/** Writes RFC 4180 CSV with CRLF line ends, quoting only the cells that need it. */
export function formatCsv(rows: ReadonlyArray<readonly string[]>): string {
  // quote_record_delimiter: a lone CR or LF in a cell is quoted too, not only a whole CRLF.
  return stringify([...rows], { record_delimiter: 'windows', quote_record_delimiter: true });
}

/*
 * csv-parse reads the text as UTF-8, where a lone surrogate cannot be written: it would come
 * back as U+FFFD and slip past the text rule (contract/unsafe-text.ts) that refuses it with
 * its row and column. So each one travels escaped, as ESC and a private-use character that
 * names it (ESC itself as ESC ESC), and the cells are unescaped after parsing.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESC = '\uFFFF';
const SURROGATE_OFFSET = 0xe000 - 0xd800;
const TO_ESCAPE = new RegExp(`${ESC}|${LONE_SURROGATE.source}`, 'g');
const ESCAPED = new RegExp(`${ESC}([${ESC}\\uE000-\\uE7FF])`, 'g');

function shieldLoneSurrogates(text: string): { text: string; restore: (records: string[][]) => string[][] } {
  if (!LONE_SURROGATE.test(text)) return { text, restore: (records) => records };
  const shift = (ch: string, by: number) => String.fromCharCode(ch.charCodeAt(0) + by);
  const escaped = text.replace(TO_ESCAPE, (m) => (m === ESC ? ESC + ESC : ESC + shift(m, SURROGATE_OFFSET)));
  const restoreCell = (cell: string) => cell.replace(ESCAPED, (_, c: string) => (c === ESC ? ESC : shift(c, -SURROGATE_OFFSET)));
  return { text: escaped, restore: (records) => records.map((cells) => cells.map(restoreCell)) };
}
