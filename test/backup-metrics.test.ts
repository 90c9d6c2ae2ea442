import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_COMMANDS, EXIT, runAdmin } from '../services/platform/admin/index.ts';
import { listBackups } from '../services/platform/backup/index.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { parseExposition, sampleValue } from './helpers/prometheus-text.ts';
import { waitFor } from './helpers/wait-for.ts';

const TOKEN = 'metrics-test-token-0123456789';

describe('backup metrics', () => {
  let backend: TestBackend | null = null;
  afterEach(async () => {
    await backend?.stop();
    backend = null;
  });

  const scrape = async (b: TestBackend) => {
    const res = await fetch(`${b.api.replace(/\/api$/, '')}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  };

  it('count scheduled backups by result and give the newest backup’s time, an on-demand one included', async () => {
    let offset = 0;
    const b = await startTestBackend({ METRICS_TOKEN: TOKEN, BACKUP_INTERVAL_H: '24' }, { clock: () => Date.now() + offset });
    backend = b;
    await waitFor(() => b.app.backups.status().taken.ok === 1, { what: 'the backup taken at start' });
    const backupDir = path.join(b.dataDir, 'backups');
    let e = await scrape(b);
    expect(e.types.get('mtbox_backups_total')).toBe('counter');
    expect(e.types.get('mtbox_backup_last_success_timestamp_seconds')).toBe('gauge');
    expect(sampleValue(e, 'mtbox_backups_total', { result: 'ok' })).toBe(1);
    expect(sampleValue(e, 'mtbox_backups_total', { result: 'failed' })).toBe(0);
    expect(sampleValue(e, 'mtbox_backup_last_success_timestamp_seconds')).toBe((listBackups(backupDir)[0]?.takenAt ?? 0) / 1000);

    // An on-demand backup an hour later: the newest, though the schedule did not take it.
    offset = 3_600_000;
    const io = {
      env: { DATA_DIR: b.dataDir },
      clock: () => Date.now() + offset,
      operator: 'os:ops-tester',
      out: () => undefined,
      err: () => undefined,
    };
    expect(await runAdmin(['backup'], ADMIN_COMMANDS, io)).toBe(EXIT.ok);
    e = await scrape(b);
    expect(sampleValue(e, 'mtbox_backups_total', { result: 'ok' })).toBe(1);
    expect(sampleValue(e, 'mtbox_backup_last_success_timestamp_seconds')).toBe((listBackups(backupDir)[1]?.takenAt ?? 0) / 1000);
    // And the schedule counts from it: the next is due 24 hours after the on-demand one.
    expect(b.app.backups.status().nextDueAt).toBe((listBackups(backupDir)[1]?.takenAt ?? 0) + 24 * 3_600_000);
  });
});
