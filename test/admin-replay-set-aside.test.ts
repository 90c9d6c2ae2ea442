import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SPOOL_FILE } from '../services/compose-telemetry.ts';
import { openTelemetrySpool } from '../services/edge/telemetry/store/telemetry-spool.ts';
import { ADMIN_COMMANDS } from '../services/platform/admin/admin-commands.ts';
import { adminAuditLines, recordingIo } from '../services/platform/admin/commands/test-kit.ts';
import { EXIT, runAdmin } from '../services/platform/admin/run-admin.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

describe('npm run admin -- replay-set-aside', () => {
  let backend: TestBackend | null = null;
  afterEach(async () => {
    await backend?.stop();
    backend = null;
  });

  it('queues the points InfluxDB set aside again in the data directory’s spool, and writes its audit line', async () => {
    const b = await startTestBackend();
    backend = b;
    const live = recordingIo({ DATA_DIR: b.dataDir });
    expect(await runAdmin(['replay-set-aside'], ADMIN_COMMANDS, live.io)).toBe(EXIT.refused);
    await b.app.stop();
    const file = path.join(b.dataDir, SPOOL_FILE);
    const spool = openTelemetrySpool(file);
    spool.append(['MTB2411000001', 1000, 1005, 1, JSON.stringify({ temp_c: 40 })]);
    spool.setAside(spool.oldest(10)?.lastId ?? 0, 2000, 'partial write: field type conflict');
    spool.close();

    const t = recordingIo({ DATA_DIR: b.dataDir });
    expect(await runAdmin(['replay-set-aside'], ADMIN_COMMANDS, t.io)).toBe(EXIT.ok);
    expect(t.out).toEqual([
      '1 point(s): partial write: field type conflict',
      '1 point(s) queued again; the server sends them to InfluxDB once started',
    ]);
    const reopened = openTelemetrySpool(file);
    expect(reopened.stats()).toMatchObject({ points: 1, setAside: 0 });
    reopened.close();
    expect(await adminAuditLines(b.dataDir, 'admin.replay-set-aside')).toMatchObject([
      { entity_kind: 'system', entity_id: 0, actor: 'os:ops-tester', data: { points: 1, byReason: { 'partial write: field type conflict': 1 } } },
    ]);
  });
});
