import type { AdminCommand } from './admin-command.ts';
import { backupCommand, backupsCommand, restoreCommand, verifyBackupCommand } from './commands/backup-commands.ts';

/** Every `npm run admin` command, in the order `help` lists them. */
export const ADMIN_COMMANDS: readonly AdminCommand[] = [
  // Backups and restore (docs/operations.md, "Backups and restore").
  backupCommand as AdminCommand,
  backupsCommand as AdminCommand,
  verifyBackupCommand as AdminCommand,
  restoreCommand as AdminCommand,
];
