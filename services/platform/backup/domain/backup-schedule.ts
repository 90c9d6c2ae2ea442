const HOUR_MS = 3_600_000;

/**
 * When the next scheduled backup is due: one interval after the newest backup in BACKUP_DIR
 * (scheduled or on demand), so a restart does not reset the schedule; at once when there is
 * none. Null when the schedule is off (interval 0). A due time in the past means "now": a
 * server that was down at the due time takes it at its next check.
 */
export function nextBackupDue(newestTakenAt: number | null, intervalH: number, now: number): number | null {
  if (intervalH <= 0) return null;
  if (newestTakenAt === null) return now;
  return newestTakenAt + intervalH * HOUR_MS;
}

/** True when a scheduled backup should be taken at `now`. */
export function backupIsDue(newestTakenAt: number | null, intervalH: number, now: number): boolean {
  const due = nextBackupDue(newestTakenAt, intervalH, now);
  return due !== null && due <= now;
}

/**
 * The backups to delete after a successful one: all but the newest `keep` (every backup counts,
 * scheduled or on demand), and never `justTaken`, even if a clock set back made it look old.
 * `names` is oldest first (compareBackupNames).
 */
export function backupsToPrune(names: readonly string[], keep: number, justTaken: string): string[] {
  const others = names.filter((n) => n !== justTaken);
  // The one just taken is always kept, so it takes one of the `keep` places.
  const keepOthers = Math.max(0, keep - 1);
  return others.slice(0, Math.max(0, others.length - keepOthers));
}
