import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareBackupNames, parseBackupName } from './domain/backup-name.ts';
import { BackupManifest } from './domain/backup-manifest.ts';
import { MANIFEST_FILE } from './backup-files.ts';

/** One complete backup found in BACKUP_DIR. */
export interface BackupEntry {
  name: string;
  dir: string;
  takenAt: number;
  manifest: BackupManifest;
}

/** The manifest of a backup directory; null when it has none or one that does not parse. */
export function readManifest(dir: string): BackupManifest | null {
  try {
    const parsed = BackupManifest.safeParse(JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The backups in `backupDir`, oldest first: directories named as we name them that hold a
 * manifest. A backup being written has a temporary name and no manifest yet, so it is never
 * listed, pruned or counted; nor is anything else an operator keeps there.
 */
export function listBackups(backupDir: string): BackupEntry[] {
  if (!existsSync(backupDir)) return [];
  const found: BackupEntry[] = [];
  for (const entry of readdirSync(backupDir, { withFileTypes: true })) {
    const parsed = entry.isDirectory() ? parseBackupName(entry.name) : null;
    if (!parsed) continue;
    const dir = path.join(backupDir, entry.name);
    const manifest = readManifest(dir);
    if (manifest) found.push({ name: entry.name, dir, takenAt: parsed.takenAt, manifest });
  }
  return found.sort((a, b) => compareBackupNames(a.name, b.name));
}

/** A backup named as `backups` lists it (in BACKUP_DIR), or a path to a backup directory anywhere. */
export function locateBackup(backupDir: string, nameOrPath: string): string | null {
  const candidates = parseBackupName(nameOrPath) ? [path.join(backupDir, nameOrPath), path.resolve(nameOrPath)] : [path.resolve(nameOrPath)];
  return candidates.find((dir) => existsSync(dir) && statSync(dir).isDirectory()) ?? null;
}
