import { sha256Hex } from '../../kernel/digest.ts';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BOX_SECRET_KEY_FILE } from '../security/index.ts';
import { readManifest } from './backup-catalog.ts';
import { CALENDAR_FILE } from './backup-files.ts';
import type { BackupManifest } from './domain/backup-manifest.ts';
import { inspectDatabaseFile } from './sqlite-copy.ts';

export type Verification = { ok: true; manifest: BackupManifest } | { ok: false; problems: string[] };

/**
 * Checks a backup directory as a restore would use it: a manifest, a database that passes
 * integrity_check and hashes to the manifest's sha256 (so not a byte changed since it was
 * taken), and the box secret key and holiday years the manifest names, unchanged.
 */
export async function verifyBackup(dir: string): Promise<Verification> {
  const manifest = readManifest(dir);
  if (!manifest) return { ok: false, problems: [`${dir} holds no readable manifest.json: it is not a complete backup`] };
  const problems: string[] = [];
  const dbFile = path.join(dir, manifest.database.file);
  if (!existsSync(dbFile)) {
    problems.push(`${manifest.database.file} is missing`);
  } else {
    const found = await inspectDatabaseFile(dbFile);
    if ('error' in found) problems.push(`${manifest.database.file} could not be checked: ${found.error}`);
    else {
      if (found.integrity !== 'ok') problems.push(`${manifest.database.file} fails integrity_check: ${found.integrity}`);
      if (found.sha256 !== manifest.database.sha256)
        problems.push(
          `${manifest.database.file} has changed since the backup was taken (sha256 ${found.sha256}, manifest ${manifest.database.sha256})`,
        );
    }
  }
  if (manifest.boxSecretKey.source === 'file') {
    const key = path.join(dir, BOX_SECRET_KEY_FILE);
    if (!existsSync(key)) problems.push(`${BOX_SECRET_KEY_FILE} is missing`);
    else if (sha256Hex(readFileSync(key)) !== manifest.boxSecretKey.sha256) {
      problems.push(`${BOX_SECRET_KEY_FILE} has changed since the backup was taken`);
    }
  }
  if (manifest.calendar) {
    const calendar = path.join(dir, CALENDAR_FILE);
    if (!existsSync(calendar)) problems.push(`${CALENDAR_FILE} is missing`);
    else if (sha256Hex(readFileSync(calendar)) !== manifest.calendar.sha256) {
      problems.push(`${CALENDAR_FILE} has changed since the backup was taken`);
    }
  }
  return problems.length === 0 ? { ok: true, manifest } : { ok: false, problems };
}
