import type { AdminCommand } from './admin-command.ts';
import { backupCommand, backupsCommand, restoreCommand, verifyBackupCommand } from './commands/backup-commands.ts';
import { createAdminCommand } from './commands/create-admin.ts';
import { disableUserCommand, enableUserCommand } from './commands/disable-user.ts';
import { exportAuditCommand } from './commands/export-audit.ts';
import { replaySetAsideCommand } from './commands/replay-set-aside.ts';
import { resetPasswordCommand } from './commands/reset-password.ts';
import { retriageCommand } from './commands/retriage.ts';
import { rotateBoxSecretCommand } from './commands/rotate-box-secret.ts';
import { revokeSessionsCommand, sessionsCommand } from './commands/sessions.ts';
import { usersCommand } from './commands/users.ts';

/** Every `npm run admin` command, in the order `help` lists them. */
export const ADMIN_COMMANDS: readonly AdminCommand[] = [
  // Accounts and sessions.
  usersCommand as AdminCommand,
  createAdminCommand as AdminCommand,
  resetPasswordCommand as AdminCommand,
  disableUserCommand as AdminCommand,
  enableUserCommand as AdminCommand,
  sessionsCommand as AdminCommand,
  revokeSessionsCommand as AdminCommand,
  // Boxes, the audit log, triage, the InfluxDB spool.
  rotateBoxSecretCommand as AdminCommand,
  exportAuditCommand as AdminCommand,
  retriageCommand as AdminCommand,
  replaySetAsideCommand as AdminCommand,
  // Backups and restore (docs/operations.md, "Backups and restore").
  backupCommand as AdminCommand,
  backupsCommand as AdminCommand,
  verifyBackupCommand as AdminCommand,
  restoreCommand as AdminCommand,
];
