import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestBackend, type TestBackend } from '../../../test/helpers/backend.ts';
import { waitFor } from '../../../test/helpers/wait-for.ts';
import { createLogger } from '../logger.ts';
import { listBackups } from './backup-catalog.ts';
import { startBackupScheduler, type BackupScheduler, type BackupSchedulerOptions } from './backup-scheduler.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 30, 2, 0, 0);

describe('the backup schedule', () => {
  let backend: TestBackend | null = null;
  const schedulers: BackupScheduler[] = [];
  let now = T0;
  const logLines: Array<{ level: number; msg: string; reason?: string }> = [];

  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    await backend?.stop();
    backend = null;
    logLines.length = 0;
    now = T0;
  });

  function start(base: Omit<BackupSchedulerOptions, 'clock' | 'logger'>): BackupScheduler {
    const logger = createLogger('info', { write: (line: string) => logLines.push(JSON.parse(line)) });
    // A poll far longer than the test: only the first look at start and the test's own checks run.
    const s = startBackupScheduler({ ...base, clock: () => now, logger, pollMs: 3_600_000 });
    schedulers.push(s);
    return s;
  }

  async function base(keep = 7): Promise<Omit<BackupSchedulerOptions, 'clock' | 'logger'>> {
    backend = await startTestBackend();
    const { dataDir } = backend;
    return {
      dataDir,
      backupDir: path.join(dataDir, 'backups'),
      intervalH: 24,
      keep,
      boxSecretKeyConfigured: false,
      calendarFile: path.join(dataDir, 'calendar.json'),
    };
  }

  it('looks whether a backup is due every minute when no other poll is given', async () => {
    const opts = await base();
    // Only the schedule's own interval is faked; the backup's thread and the test's waits run for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const s = startBackupScheduler({ ...opts, clock: () => now, logger: createLogger('silent') });
      schedulers.push(s);
      await waitFor(() => s.status().taken.ok === 1, { what: 'the backup taken at start' });
      now = T0 + 24 * H;
      vi.advanceTimersByTime(59_999);
      expect(s.status().taken.ok).toBe(1);
      vi.advanceTimersByTime(1);
      await waitFor(() => s.status().taken.ok === 2, { what: 'the backup taken at the look a minute after start' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes the first backup at start when there is none, then one interval after the newest', async () => {
    const opts = await base();
    const s = start(opts);
    await waitFor(() => s.status().taken.ok === 1, { what: 'the backup taken at start' });
    expect(listBackups(opts.backupDir).map((b) => b.name)).toEqual(['mtbox-care-20261130T020000Z']);
    expect(s.status()).toMatchObject({ lastSuccessAt: T0, nextDueAt: T0 + 24 * H, lastFailure: null });
    now = T0 + 24 * H - 1000;
    expect(await s.check()).toBeNull();
    now = T0 + 24 * H;
    const second = await s.check();
    expect(second?.ok && second.backup.name).toBe('mtbox-care-20261201T020000Z');
    expect(s.status().taken).toEqual({ ok: 2, failed: 0 });
  });

  it('does not reset the due time on restart, and takes a backup missed while down at the first look', async () => {
    const opts = await base();
    const first = start(opts);
    await waitFor(() => first.status().taken.ok === 1, { what: 'the backup taken at start' });
    await first.stop();
    // Restarted 10 hours later: the next is still due 24 hours after the newest backup.
    now = T0 + 10 * H;
    const restarted = start(opts);
    expect(restarted.status().nextDueAt).toBe(T0 + 24 * H);
    expect(await restarted.check()).toBeNull();
    await restarted.stop();
    // Down at the due time, started two days later: taken at the first look after start.
    now = T0 + 50 * H;
    const late = start(opts);
    await waitFor(() => late.status().taken.ok === 1, { what: 'the missed backup taken at start' });
    expect(listBackups(opts.backupDir).map((b) => b.takenAt)).toEqual([T0, T0 + 50 * H]);
  });

  it('keeps only BACKUP_KEEP backups, deleting the oldest after each good one', async () => {
    const opts = await base(2);
    const s = start(opts);
    await waitFor(() => s.status().taken.ok === 1, { what: 'the backup taken at start' });
    for (const day of [1, 2, 3]) {
      now = T0 + day * 24 * H;
      const outcome = await s.check();
      expect(outcome?.ok).toBe(true);
    }
    expect(listBackups(opts.backupDir).map((b) => b.takenAt)).toEqual([T0 + 2 * 24 * H, T0 + 3 * 24 * H]);
  });

  it('reports a copy that fails its check as a failure, logged as an error, and keeps nothing', async () => {
    const opts = await base();
    const s = start({
      ...opts,
      beforeCheck(file) {
        const fd = openSync(file, 'r+');
        try {
          const junk = Buffer.alloc(statSync(file).size - 8192, 0x5a);
          writeSync(fd, junk, 0, junk.length, 4096);
        } finally {
          closeSync(fd);
        }
      },
    });
    await waitFor(() => s.status().taken.failed === 1, { what: 'the failed backup' });
    expect(s.status()).toMatchObject({ lastSuccessAt: null, lastFailure: { at: T0 }, taken: { ok: 0, failed: 1 } });
    expect(listBackups(opts.backupDir)).toEqual([]);
    const error = logLines.find((l) => l.level === 50);
    expect(error?.msg).toBe('backup failed; nothing was kept');
  });
});
