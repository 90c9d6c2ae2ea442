import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCommand } from '../services/edge/commands/store/command-store.ts';
import { NODE_ID_FILE } from '../services/platform/cluster/index.ts';
import { ADMIN_PASSWORD, connectBox, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type BackendProcess, startBackendProcess } from './helpers/backend-process.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { testDatabaseEnv } from './helpers/test-database.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * A node restarted on the same DATA_DIR (issue 15): node B (its own process) holds a box and a
 * command its caller waits for, and is killed with SIGKILL. Started again on the same DATA_DIR
 * it is a new node, but it knows its previous id (DATA_DIR/node-id) and releases it at once:
 * the command ends and the box shows offline without waiting for the old heartbeat to lapse.
 */

const SERIAL = 'MTB26RESTART1';

interface CommandView {
  status: string;
  error?: { code: string };
}

describe('a node restarted on the same DATA_DIR', () => {
  let redis: EngineServer;
  let spy: Redis;
  let a: TestBackend;
  let b: BackendProcess;
  let box: MqttClient;
  let shared: Record<string, string>;
  const dir = tempDir('cluster-restart-');

  beforeAll(async () => {
    redis = await startRedis();
    spy = new Redis(redis.url);
    shared = { ...(await testDatabaseEnv()), REDIS_URL: redis.url };
    // A first: it creates the admin account that B then finds.
    a = await startTestBackend(shared);
    b = await startBackendProcess({ ...shared, DATA_DIR: dir.path, ADMIN_PASSWORD });
  }, 90_000);
  afterAll(async () => {
    await box?.endAsync(true);
    await b?.kill();
    await a?.stop();
    spy?.disconnect();
    dir.remove();
    await redis?.remove();
  });

  async function onA<T>(route: string): Promise<T> {
    const res = await fetch(`${a.api}${route}`, { headers: await a.adminHeaders() });
    expect(res.status, route).toBe(200);
    return (await res.json()) as T;
  }
  const online = async () => (await onA<{ presence: { online: boolean } }>(`/devices/${SERIAL}`)).presence.online;
  const command = (id: string) => onA<CommandView>(`/devices/${SERIAL}/commands/${id}`);
  const nodeIdIn = (dataDir: string) => readFileSync(path.join(dataDir, NODE_ID_FILE), 'utf8').trim();

  it('releases the previous run’s box and waiting command at once, not when its heartbeat lapses', async () => {
    const [cred] = await a.app.provision([SERIAL]);
    box = await connectBox(`mqtt://127.0.0.1:${b.mqttPort}`, SERIAL, cred!.secret);
    await waitFor(online, { what: 'node A to see the box on B online' });
    const before = nodeIdIn(dir.path);
    expect(await spy.hget('mtbox:presence', SERIAL)).toMatch(new RegExp(`^${before} `));
    // A command sent through B, its caller waiting on B (only the row outlives B).
    const device = await a.app.db.selectFrom('devices').select('id').where('serial', '=', SERIAL).executeTakeFirstOrThrow();
    const now = Date.now();
    const id = 'cmd-restart-waiting';
    const request = {
      id,
      name: 'ping',
      args: {},
      requestedBy: 'admin',
      sessionId: null,
      requestedAt: now,
      timeoutMs: 300_000,
      deadline: now + 300_000,
    };
    await insertCommand(a.app.db, device.id, request, 'sent', before);

    await b.kill();
    // The old heartbeat would now stay for a minute, far longer than this test waits: whatever is
    // released below was released by the restart, not by a heartbeat lapsing.
    expect(await spy.pexpire(`mtbox:node:${before}`, 60_000)).toBe(1);
    b = await startBackendProcess({ ...shared, DATA_DIR: dir.path, ADMIN_PASSWORD });
    const after = nodeIdIn(dir.path);
    expect(after).not.toBe(before);

    const ended = await waitFor(async () => ((await command(id)).status === 'sent' ? null : command(id)), {
      timeoutMs: 15_000,
      what: 'the command the previous run waited for to end',
    });
    expect(ended).toMatchObject({ status: 'timed-out', error: { code: 'node-stopped' } });
    await waitFor(async () => !(await online()), { timeoutMs: 15_000, what: 'node A to see the box of the previous run offline' });
    expect(await spy.exists(`mtbox:node:${before}`)).toBe(0);
    expect(await spy.hexists('mtbox:presence', SERIAL)).toBe(0);
    expect(await spy.exists(`mtbox:node:${after}`)).toBe(1);
  }, 90_000);
});
