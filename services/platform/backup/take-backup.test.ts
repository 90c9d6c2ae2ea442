import { existsSync, openSync, readdirSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../../test/helpers/backend.ts';
import { listBackups } from './backup-catalog.ts';
import { takeBackup, type TakeBackupOptions } from './take-backup.ts';

const NOW = Date.UTC(2026, 10, 30, 9, 0, 0);

describe('taking a backup', () => {
  let backend: TestBackend | null = null;
  afterEach(async () => {
    await backend?.stop();
    backend = null;
  });

  async function options(extra: Partial<TakeBackupOptions> = {}): Promise<TakeBackupOptions> {
    backend = await startTestBackend();
    return {
      dataDir: backend.dataDir,
      backupDir: path.join(backend.dataDir, 'backups'),
      keep: 7,
      boxSecretKeyConfigured: false,
      calendarFile: path.join(backend.dataDir, 'calendar.json'),
      trigger: 'on-demand',
      clock: () => NOW,
      ...extra,
    };
  }

  it('writes the database, the box secret key and a manifest, private to the service user', async () => {
    const opts = await options();
    const outcome = await takeBackup(opts);
    if (!outcome.ok) throw new Error(outcome.reason);
    const dir = path.join(opts.backupDir, 'mtbox-care-20261130T090000Z');
    expect(outcome.backup.dir).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual(['box-secret.key', 'manifest.json', 'mtbox-care.sqlite']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 1,
      name: 'mtbox-care-20261130T090000Z',
      takenAt: '2026-11-30T09:00:00.000Z',
      trigger: 'on-demand',
      appVersion: JSON.parse(readFileSync('package.json', 'utf8')).version,
      database: { file: 'mtbox-care.sqlite', integrity: 'ok', sizeBytes: statSync(path.join(dir, 'mtbox-care.sqlite')).size },
      boxSecretKey: { source: 'file' },
    });
    expect(manifest.database.lastMigration).toMatch(/^\d{4}_/);
    expect(readFileSync(path.join(dir, 'box-secret.key'))).toEqual(readFileSync(path.join(opts.dataDir, 'box-secret.key')));
  });

  it('says so in the manifest, and copies no key, when BOX_SECRET_KEY is configured', async () => {
    const opts = await options({ boxSecretKeyConfigured: true });
    const outcome = await takeBackup(opts);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.backup.manifest.boxSecretKey).toEqual({ source: 'configured' });
    expect(existsSync(path.join(outcome.backup.dir, 'box-secret.key'))).toBe(false);
  });

  it('deletes a copy that fails integrity_check and reports it, keeping nothing', async () => {
    const opts = await options({
      // Damage the copy's pages after the header, as a bad disk would.
      beforeCheck(file) {
        const size = statSync(file).size;
        const fd = openSync(file, 'r+');
        try {
          const junk = Buffer.alloc(size - 8192, 0x5a);
          writeSync(fd, junk, 0, junk.length, 4096);
        } finally {
          closeSync(fd);
        }
      },
    });
    const outcome = await takeBackup(opts);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toMatch(/integrity_check|could not be checked|malformed/);
    expect(readdirSync(opts.backupDir)).toEqual([]);
    expect(listBackups(opts.backupDir)).toEqual([]);
  });
});
