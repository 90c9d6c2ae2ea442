/** A connected box and when its parameters were last read into a snapshot (null: never). */
export interface BackupCandidate {
  deviceId: number;
  serial: string;
  lastBackupAt: number | null;
}

/**
 * The boxes due for an automatic backup: never backed up, or not for `maxAgeMs`. Oldest
 * first and at most `limit`, so a fleet that has never been backed up is read a few boxes
 * per pass rather than all at once.
 */
export function dueForBackup(candidates: readonly BackupCandidate[], now: number, maxAgeMs: number, limit: number): BackupCandidate[] {
  return candidates
    .filter((c) => c.lastBackupAt === null || now - c.lastBackupAt >= maxAgeMs)
    .sort((a, b) => (a.lastBackupAt ?? -Infinity) - (b.lastBackupAt ?? -Infinity) || a.deviceId - b.deviceId)
    .slice(0, limit);
}
