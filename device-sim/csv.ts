import { parse, type InfoRecord, type Options } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/*
 * The simulator's CSV (its credentials file, the import body it sends) over csv-parse and
 * csv-stringify: RFC 4180, since customer names and addresses in the import contain commas.
 */

const READ_OPTIONS: Options = {
  bom: true, // Spreadsheet exports start with a BOM.
  relax_column_count: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true, // A blank line is not a record.
};

/** Records of cells; throws csv-parse's CsvError (with the line) on text that is not RFC 4180. */
export function parseCsv(text: string): string[][] {
  return parse(text, READ_OPTIONS);
}

/** RFC 4180 with CRLF line ends, quoting only the cells that need it (a lone CR or LF too). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return stringify([...rows], { record_delimiter: 'windows', quote_record_delimiter: true });
}

export interface CsvRecord {
  /** The file line the record ends on (the header is line 1). */
  line: number;
  /** Cells by the trimmed header name; a missing cell is ''. */
  values: Record<string, string>;
}

/** Rows as objects keyed by the header row. */
export function csvRecords(text: string): { header: string[]; records: CsvRecord[] } {
  // With `info`, csv-parse answers { record, info } per record; its types do not model that option.
  const [head, ...rows] = parse(text, { ...READ_OPTIONS, info: true }) as unknown as Array<{ record: string[]; info: InfoRecord }>;
  const names = (head?.record ?? []).map((h) => h.trim());
  return {
    header: names,
    records: rows.map(({ record, info }) => ({
      line: info.lines,
      values: Object.fromEntries(names.map((name, i) => [name, record[i] ?? ''])),
    })),
  };
}
