import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox } from './helpers/backend.ts';
import { type BackendProcess, startBackendProcess } from './helpers/backend-process.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('acknowledged means stored', () => {
  const dir = tempDir();
  let proc: BackendProcess | undefined;
  afterAll(() => {
    proc?.child.kill('SIGKILL');
    dir.remove();
  });

  it('loses no acknowledged fault when the backend is killed with SIGKILL mid-stream', async () => {
    proc = await startBackendProcess({ DATA_DIR: dir.path, ADMIN_PASSWORD: 'kill-test-password' });
    const { api } = proc;
    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'kill-test-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${api}/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ serial: 'MTB2611000301', model: 'MT-BOX-4G' }),
    });
    const { secret } = (await created.json()) as { secret: string };

    const box = await connectBox(`mqtt://127.0.0.1:${proc.mqttPort}`, 'MTB2611000301', secret);
    const acked: string[] = [];
    let sent = 0;
    // Keep 20 faults in flight; kill the process once 300 have been acknowledged, while
    // the rest are still on the wire.
    const pump = () => {
      while (sent - acked.length < 20 && sent < 2000) {
        const id = `kill-${sent++}`;
        box.publish(
          topicFor('MTB2611000301', 'fault'),
          JSON.stringify({ id, ts: Date.now(), code: 'WATCHDOG_RESET', severity: 'error' }),
          { qos: 1 },
          (err) => {
            if (!err) acked.push(id);
            if (acked.length < 300) pump();
          },
        );
      }
    };
    pump();
    await waitFor(() => acked.length >= 300, { timeoutMs: 20_000, what: '300 acknowledged faults' });
    await proc.kill();
    const ackedAtKill = [...acked];
    box.end(true);

    const db = new BetterSqlite3(path.join(dir.path, 'mtbox-care.sqlite'), { readonly: true });
    const stored = new Set((db.prepare('select fault_id from faults').all() as Array<{ fault_id: string }>).map((r) => r.fault_id));
    db.close();
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(300);
    expect(ackedAtKill.filter((id) => !stored.has(id))).toEqual([]);
  });
});
