import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from './csv-text.ts';

describe('parseCsv', () => {
  it('splits plain fields and LF, CRLF or CR line ends, even mixed in one file', () => {
    expect(parseCsv('a,b\nc,d\r\ne,f')).toEqual({
      ok: true,
      records: [
        ['a', 'b'],
        ['c', 'd'],
        ['e', 'f'],
      ],
    });
    expect(parseCsv('a\rb\r\nc\nd\r')).toEqual({ ok: true, records: [['a'], ['b'], ['c'], ['d']] });
  });

  it('makes a blank line a record of one empty cell, so row numbers count it', () => {
    expect(parseCsv('a\n\nb\r\n\r\n')).toEqual({ ok: true, records: [['a'], [''], ['b'], ['']] });
  });

  it('keeps rows of different lengths for the caller to judge', () => {
    expect(parseCsv('a,b\nc\nd,e,f')).toEqual({ ok: true, records: [['a', 'b'], ['c'], ['d', 'e', 'f']] });
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(parseCsv('"a,1","say ""hi""","two\r\nlines"\r\n')).toEqual({
      ok: true,
      records: [['a,1', 'say "hi"', 'two\r\nlines']],
    });
  });

  it('drops a leading byte-order mark', () => {
    expect(parseCsv('\uFEFFserial\r\nX')).toEqual({ ok: true, records: [['serial'], ['X']] });
  });

  it('keeps empty cells, including an empty quoted last cell', () => {
    expect(parseCsv('a,,""\n,')).toEqual({
      ok: true,
      records: [
        ['a', '', ''],
        ['', ''],
      ],
    });
  });

  it('does not make a record of a trailing line break', () => {
    expect(parseCsv('a\n')).toEqual({ ok: true, records: [['a']] });
    expect(parseCsv('')).toEqual({ ok: true, records: [] });
  });

  it('reports an unterminated quote with the row where it opened', () => {
    expect(parseCsv('a\n"b\nc')).toEqual({ ok: false, error: { row: 2, message: 'unterminated quoted field' } });
    expect(parseCsv('a\r\n\r\nb,"c')).toEqual({ ok: false, error: { row: 3, message: 'unterminated quoted field' } });
  });

  it('refuses text after a closing quote, naming its row', () => {
    expect(parseCsv('"a"b')).toEqual({ ok: false, error: { row: 1, message: 'text after a closing quote' } });
    expect(parseCsv('h\n"x\ny",ok\n\nz,"bad"z\n')).toEqual({ ok: false, error: { row: 4, message: 'text after a closing quote' } });
  });

  // RFC 4180 §2.5: "If fields are not enclosed with double quotes, then double quotes may
  // not appear inside the fields." Kept literally before csv-parse; now the file is refused
  // with a hint instead of guessing what the writer meant.
  it('refuses a quote inside an unquoted field, naming its row and how to write it', () => {
    expect(parseCsv('model\n5" display')).toEqual({
      ok: false,
      error: { row: 2, message: expect.stringContaining('quote the whole field and double the quote') },
    });
    expect(parseCsv('model\n"5"" display"')).toEqual({ ok: true, records: [['model'], ['5" display']] });
  });

  it('keeps U+0000 and lone surrogates in their cells, so the text rule can name them', () => {
    const cells = ['a\u0000b', 'x\uD800y', '\uDC00', '\uFFFF\uE000', 'ok \uD83D\uDE00'];
    expect(parseCsv(`${cells.join(',')}\n"q\uDBFF,\uFFFF"`)).toEqual({ ok: true, records: [cells, ['q\uDBFF,\uFFFF']] });
  });
});

describe('formatCsv', () => {
  it('quotes only cells that need it and round-trips through parseCsv', () => {
    const rows = [
      ['serial', 'secret'],
      ['MTB1', 'a,b'],
      ['MTB2', 'say "x"\nok'],
    ];
    const text = formatCsv(rows);
    expect(text.startsWith('serial,secret\r\nMTB1,"a,b"\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual({ ok: true, records: rows });
  });

  it('quotes a lone CR or LF, which a reader would otherwise take for a line end', () => {
    expect(formatCsv([['a\rb', 'c\nd', '']])).toBe('"a\rb","c\nd",\r\n');
  });
});
