import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCredentialsFile, loadOrProvision } from './credentials.ts';
import { formatCredentialsCsv, parseCredentialsCsv, readCredentialsFile, writeCredentialsFile } from './credentials-csv.ts';
import { formatCsv, parseCsv } from './csv.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-credentials-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const creds = [
  { serial: 'MTB2611000001', secret: 'Zk3_9-aQ' },
  { serial: 'MTB2611000002', secret: 'has,comma and "quotes"' },
];

describe('credentials CSV', () => {
  it('round-trips serial,secret rows through text, quoting what needs quoting', () => {
    const text = formatCredentialsCsv(creds);
    expect(text.split('\r\n')[0]).toBe('serial,secret');
    expect(parseCredentialsCsv(text)).toEqual(creds);
  });

  it('reads RFC 4180 quirks: BOM, CRLF or LF, quoted line breaks, blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x\ny","q""q"\n\n1,\n')).toEqual([
      ['a', 'b'],
      ['x\ny', 'q"q'],
      ['1', ''],
    ]);
    expect(parseCsv(formatCsv([['a,b', 'c']]))).toEqual([['a,b', 'c']]);
  });

  it('names every bad line and refuses duplicates', () => {
    const text = 'serial,secret\nMTB2611000001,s1\nmtb-lower,s2\nMTB2611000003,\nMTB2611000001,s4\n';
    expect(() => parseCredentialsCsv(text)).toThrow(/line 3: serial.*\n.*line 4: secret.*\n.*line 5: MTB2611000001 appears twice/s);
    expect(() => parseCredentialsCsv('serial,password\n')).toThrow(expect.objectContaining({ code: 'CREDENTIALS_CSV_INVALID' }));
  });

  it('names the file line of a bad row, counting blank lines', () => {
    expect(() => parseCredentialsCsv('serial,secret\n\nMTB2611000001,s1\n\nbad,s2\n')).toThrow(/^line 5: serial/);
  });

  it('refuses text that is not RFC 4180 instead of guessing the rows', () => {
    for (const text of ['serial,secret\nMTB2611000001,"s1\n', 'serial,secret\nMTB2611000001,s"1\n', 'serial,secret\nMTB2611000001,"s"1\n']) {
      expect(() => parseCredentialsCsv(text)).toThrow(expect.objectContaining({ code: 'CREDENTIALS_CSV_INVALID' }));
    }
  });

  it('writes the file readable by its owner only and reads it back', async () => {
    const file = join(dir, 'nested', 'fleet.csv');
    await writeCredentialsFile(file, creds);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readCredentialsFile(file)).toEqual(creds);
  });

  it('reuses saved credentials on the next run without asking the API', async () => {
    const file = join(dir, 'sim-fleet.csv');
    await writeCredentialsFile(file, creds);
    const noApi = (() => Promise.reject(new Error('the API must not be called'))) as typeof fetch;
    const got = await loadOrProvision({ count: 2, prefix: 'MTB2611', file, apiUrl: 'http://127.0.0.1:9', now: Date.now(), fetch: noApi });
    expect(got).toEqual(creds);
  });

  it('asks for the admin password when boxes are missing from the file', async () => {
    const file = join(dir, 'sim-fleet.csv');
    await writeCredentialsFile(file, creds);
    await expect(loadOrProvision({ count: 3, file, apiUrl: 'http://127.0.0.1:9', now: Date.now() })).rejects.toMatchObject({
      code: 'ADMIN_PASSWORD_REQUIRED',
    });
  });

  it('takes the first N rows of a --credentials file and refuses to invent more', async () => {
    const file = join(dir, 'given.csv');
    await writeFile(file, formatCredentialsCsv(creds));
    expect(await loadCredentialsFile(file)).toHaveLength(2);
    expect(await loadCredentialsFile(file, 1)).toEqual([creds[0]]);
    await expect(loadCredentialsFile(file, 3)).rejects.toMatchObject({ code: 'NOT_ENOUGH_CREDENTIALS' });
  });
});
