import type { Clock } from '../../kernel/clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { listBackups } from './backup-catalog.ts';
import { backupIsDue, nextBackupDue } from './domain/backup-schedule.ts';
import { backupTargetOf, takeBackup, type BackupOutcome } from './take-backup.ts';

/** How the backups have gone, for /metrics and health. */
export interface BackupStatus {
  /** The newest backup in BACKUP_DIR (taken by anyone, this process or the CLI), epoch ms. */
  lastSuccessAt: number | null;
  lastFailure: { at: number; reason: string } | null;
  /** Backups this process tried since it started, by result. */
  taken: { ok: number; failed: number };
  /** When the schedule takes the next one; null when BACKUP_INTERVAL_H is 0. */
  nextDueAt: number | null;
}

export interface BackupSchedulerOptions {
  dataDir: string;
  backupDir: string;
  intervalH: number;
  keep: number;
  boxSecretKeyConfigured: boolean;
  calendarFile: string;
  clock: Clock;
  logger: Logger;
  /** How often the schedule looks whether a backup is due; a minute in production. */
  pollMs?: number;
  /** Passed to takeBackup: the tests damage a copy here. */
  beforeCheck?: (databaseFile: string) => void;
}

export interface BackupScheduler {
  /** Takes the scheduled backup when one is due (the timer calls it); null when none was due or one is running. */
  check(): Promise<BackupOutcome | null>;
  status(): BackupStatus;
  /** Stops the timer and a backup in progress (its partial copy is removed). */
  stop(): Promise<void>;
}

const POLL_MS = 60_000;

/** The schedule as configured: BACKUP_DIR, BACKUP_INTERVAL_H, BACKUP_KEEP, and whether the key is BOX_SECRET_KEY's. */
export function backupScheduleOf(config: Config, opts: { clock: Clock; logger: Logger }): BackupSchedulerOptions {
  // A PostgreSQL database is backed up by PostgreSQL's own tools (pg_dump, base backups), not by copying a file.
  const intervalH = config.DATABASE_URL === undefined ? config.BACKUP_INTERVAL_H : 0;
  return { ...backupTargetOf(config), intervalH, ...opts };
}

/**
 * The scheduled backups: every `pollMs` it looks at the newest backup in BACKUP_DIR and takes
 * one when an interval has passed since, so the due time survives restarts and a server that
 * was down at the due time takes it at its first check. Off when BACKUP_INTERVAL_H is 0.
 */
export function startBackupScheduler(opts: BackupSchedulerOptions): BackupScheduler {
  const abort = new AbortController();
  const taken = { ok: 0, failed: 0 };
  let lastFailure: BackupStatus['lastFailure'] = null;
  let running: Promise<BackupOutcome> | null = null;
  const newest = () => listBackups(opts.backupDir).at(-1)?.takenAt ?? null;

  async function check(): Promise<BackupOutcome | null> {
    if (running || abort.signal.aborted || !backupIsDue(newest(), opts.intervalH, opts.clock())) return null;
    running = takeBackup({ ...opts, trigger: 'schedule', signal: abort.signal });
    try {
      const outcome = await running;
      if (outcome.ok) {
        taken.ok++;
        opts.logger.info(
          { backup: outcome.backup.name, sizeBytes: outcome.backup.manifest.database.sizeBytes, pruned: outcome.pruned },
          'backup taken',
        );
      } else if (!abort.signal.aborted) {
        taken.failed++;
        lastFailure = { at: opts.clock(), reason: outcome.reason };
        opts.logger.error({ backup: outcome.name, reason: outcome.reason }, 'backup failed; nothing was kept');
      }
      return outcome;
    } finally {
      running = null;
    }
  }

  const enabled = opts.intervalH > 0;
  const tick = () => void check().catch((err: unknown) => opts.logger.error({ err }, 'backup schedule check failed'));
  const timer = enabled ? setInterval(tick, opts.pollMs ?? POLL_MS) : null;
  timer?.unref();
  // The first look right after start: a backup missed while the server was down is taken now.
  if (enabled) setImmediate(tick);

  return {
    check,
    status() {
      const last = newest();
      return { lastSuccessAt: last, lastFailure, taken: { ...taken }, nextDueAt: nextBackupDue(last, opts.intervalH, opts.clock()) };
    },
    async stop() {
      if (timer) clearInterval(timer);
      abort.abort();
      await running?.catch(() => undefined);
    },
  };
}
