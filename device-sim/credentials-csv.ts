import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CsvError } from 'csv-parse/sync';
import { z } from 'zod';
import { SERIAL_PATTERN } from '../services/contract/topics.ts';
import { csvRecords, formatCsv } from './csv.ts';

/** One CSV row `serial,secret`: what the backend's import returns and the simulator keeps. */
export const BoxCredentials = z.object({
  serial: z.string().regex(SERIAL_PATTERN, 'serial: 6-23 upper-case letters and digits'),
  secret: z.string().min(1).max(256),
});
export type BoxCredentials = z.infer<typeof BoxCredentials>;

export const CREDENTIALS_COLUMNS = ['serial', 'secret'] as const;

export class CredentialsError extends Error {
  constructor(
    readonly code: 'CREDENTIALS_CSV_INVALID' | 'ADMIN_PASSWORD_REQUIRED' | 'NOT_ENOUGH_CREDENTIALS',
    message: string,
  ) {
    super(message);
  }
}

/** Parses `serial,secret` CSV (other columns are ignored); every bad row is named in the error. */
export function parseCredentialsCsv(text: string): BoxCredentials[] {
  const { header, records } = readCsv(text);
  const missing = CREDENTIALS_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new CredentialsError('CREDENTIALS_CSV_INVALID', `CSV header lacks ${missing.join(', ')}`);
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: BoxCredentials[] = [];
  for (const { line, values } of records) {
    const row = BoxCredentials.safeParse({ serial: values.serial?.trim(), secret: values.secret?.trim() });
    if (!row.success) problems.push(`line ${line}: ${row.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    else if (seen.has(row.data.serial)) problems.push(`line ${line}: ${row.data.serial} appears twice`);
    else {
      seen.add(row.data.serial);
      out.push(row.data);
    }
  }
  if (problems.length > 0) throw new CredentialsError('CREDENTIALS_CSV_INVALID', problems.slice(0, 10).join('\n'));
  return out;
}

/** csvRecords, with text that is not RFC 4180 (e.g. an unterminated quote) answered as CREDENTIALS_CSV_INVALID. */
function readCsv(text: string): ReturnType<typeof csvRecords> {
  try {
    return csvRecords(text);
  } catch (err) {
    if (err instanceof CsvError) throw new CredentialsError('CREDENTIALS_CSV_INVALID', err.message);
    throw err;
  }
}

export function formatCredentialsCsv(credentials: readonly BoxCredentials[]): string {
  return formatCsv([CREDENTIALS_COLUMNS, ...credentials.map((c) => [c.serial, c.secret])]);
}

export async function readCredentialsFile(path: string): Promise<BoxCredentials[]> {
  try {
    return parseCredentialsCsv(await readFile(path, 'utf8'));
  } catch (err) {
    if (err instanceof CredentialsError) throw new CredentialsError(err.code, `${path}: ${err.message}`);
    throw err;
  }
}

/** Writes the file readable by its owner only (it holds device secrets), replacing it atomically. */
export async function writeCredentialsFile(path: string, credentials: readonly BoxCredentials[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, formatCredentialsCsv(credentials), { mode: 0o600 });
  await chmod(tmp, 0o600); // writeFile's mode only applies when it creates the file.
  await rename(tmp, path);
}
