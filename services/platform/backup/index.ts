/** The public face of this capability: backups of the service's own database, their schedule and restore. */
export { backupDirOf, calendarFileOf, DATABASE_FILE } from './backup-files.ts';
export { listBackups, locateBackup, readManifest, type BackupEntry } from './backup-catalog.ts';
export { backupScheduleOf, startBackupScheduler, type BackupScheduler, type BackupStatus } from './backup-scheduler.ts';
export { backupTargetOf, takeBackup, type BackupOutcome, type TakeBackupOptions } from './take-backup.ts';
export { verifyBackup, type Verification } from './verify-backup.ts';
export { restoreBackup, type RestoreOutcome } from './restore-backup.ts';
export type { BackupManifest } from './domain/backup-manifest.ts';
