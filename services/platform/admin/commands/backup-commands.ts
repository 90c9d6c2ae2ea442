import { z } from 'zod';
import {
  backupDirOf,
  backupTargetOf,
  calendarFileOf,
  listBackups,
  locateBackup,
  restoreBackup,
  takeBackup,
  verifyBackup,
} from '../../backup/index.ts';
import { AdminRefusal, defineCommand, type AdminContext } from '../admin-command.ts';

const noPositionals = z.object({ positionals: z.array(z.string()).max(0, 'takes no arguments') });
const oneBackup = z.object({ positionals: z.tuple([z.string().min(1)], { message: 'name one backup (as `backups` lists it) or the path to one' }) });

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

function backupDirectory(ctx: AdminContext, nameOrPath: string): string {
  const dir = locateBackup(backupDirOf(ctx.config), nameOrPath);
  if (!dir)
    throw new AdminRefusal(
      `no backup "${nameOrPath}" in ${backupDirOf(ctx.config)} nor at that path; \`npm run admin -- backups\` lists them. Nothing was done.`,
    );
  return dir;
}

export const backupCommand = defineCommand({
  name: 'backup',
  summary: 'takes a backup of the database now (safe while the server runs), verified, then prunes to BACKUP_KEEP',
  usage: '',
  options: {},
  args: noPositionals,
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx) {
    const outcome = await takeBackup({ ...backupTargetOf(ctx.config), trigger: 'on-demand', clock: ctx.clock });
    if (!outcome.ok) throw new AdminRefusal(`backup failed, nothing was kept: ${outcome.reason}`);
    const { backup, pruned } = outcome;
    ctx.print(`${backup.name}  ${mib(backup.manifest.database.sizeBytes)}  integrity ok  ${backup.dir}`);
    if (pruned.length > 0) ctx.print(`deleted, beyond BACKUP_KEEP=${ctx.config.BACKUP_KEEP}: ${pruned.join(', ')}`);
    return {
      entityKind: 'system',
      entityId: 0,
      action: 'admin.backup',
      reason: `backup ${backup.name} taken`,
      data: { backup: backup.name, sha256: backup.manifest.database.sha256, pruned },
    };
  },
});

export const backupsCommand = defineCommand({
  name: 'backups',
  summary: 'lists the backups in BACKUP_DIR, newest first: name, time, size, whether verified',
  usage: '',
  options: {},
  args: noPositionals,
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx) {
    const found = listBackups(backupDirOf(ctx.config)).reverse();
    if (found.length === 0) ctx.print(`no backups in ${backupDirOf(ctx.config)}`);
    for (const b of found) {
      const verified = b.manifest.database.integrity === 'ok' ? 'verified' : `NOT verified (${b.manifest.database.integrity})`;
      ctx.print(`${b.name}  ${b.manifest.takenAt}  ${mib(b.manifest.database.sizeBytes)}  ${verified}  ${b.manifest.trigger}`);
    }
    return { entityKind: 'system', entityId: 0, action: 'admin.backups', reason: `listed ${found.length} backups` };
  },
});

export const verifyBackupCommand = defineCommand({
  name: 'verify-backup',
  summary: 'checks a backup: integrity_check, and its files against the sha256 in its manifest',
  usage: '<name|path>',
  options: {},
  args: oneBackup,
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx, args) {
    const dir = backupDirectory(ctx, args.positionals[0]);
    const verified = await verifyBackup(dir);
    if (!verified.ok) throw new AdminRefusal(`${dir} is damaged: ${verified.problems.join('; ')}`);
    ctx.print(`${verified.manifest.name}: ok (integrity_check ok, sha256 matches the manifest)`);
    return {
      entityKind: 'system',
      entityId: 0,
      action: 'admin.verify-backup',
      reason: `backup ${verified.manifest.name} verified`,
      data: { backup: dir },
    };
  },
});

export const restoreCommand = defineCommand({
  name: 'restore',
  summary: 'puts a backup in place of the database of a stopped server (the current one is moved aside)',
  usage: '<name|path>',
  options: {},
  args: oneBackup,
  whileServerRuns: 'refuse',
  dataDir: 'existing-or-new',
  async run(ctx, args) {
    const dir = backupDirectory(ctx, args.positionals[0]);
    const outcome = await restoreBackup(dir, { dataDir: ctx.dataDir, calendarFile: calendarFileOf(ctx.config) }, ctx.clock());
    if (!outcome.ok) {
      const why = outcome.reason === 'damaged' ? 'is damaged' : 'cannot be opened by this version';
      throw new AdminRefusal(`${dir} ${why}: ${outcome.problems.join('; ')}. Nothing was restored; the current database is unchanged.`);
    }
    const { manifest, movedAside } = outcome;
    ctx.print(`restored ${manifest.name} (taken ${manifest.takenAt}) into ${ctx.dataDir}`);
    for (const moved of movedAside) ctx.print(`kept the previous file as ${moved}`);
    if (manifest.boxSecretKey.source === 'configured') {
      ctx.print('the backup was taken with BOX_SECRET_KEY set: start the server with the same BOX_SECRET_KEY, or no box can log in');
    }
    return {
      entityKind: 'system',
      entityId: 0,
      action: 'admin.restore',
      reason: `restored backup ${manifest.name}`,
      data: { backup: manifest.name, takenAt: manifest.takenAt, sha256: manifest.database.sha256, movedAside },
    };
  },
});
