import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { SimBox } from '../device-sim/index.ts';
import { connectBox } from './helpers/backend.ts';
import { type BackendProcess, startBackendProcess } from './helpers/backend-process.ts';
import { type EngineServer, type HaproxyServer, startHaproxy, startRedis } from './helpers/engines.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { testDatabaseEnv } from './helpers/test-database.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Two nodes as their own processes behind a real HAProxy (PROXY protocol v2 on MQTT), on one
 * PostgreSQL and one Redis. The node holding a box is killed with SIGKILL: the box comes back
 * through the balancer to the other node, which took its presence over, delivers the command
 * queued meanwhile, and has every fault the dead node acknowledged.
 */

const PASSWORD = 'cluster-failover-password';
const SERIAL = 'MTB26FAILOVR1';

describe('a node killed under its boxes', () => {
  let redis: EngineServer;
  let haproxy: HaproxyServer;
  const nodes: BackendProcess[] = [];
  const dirs: Array<ReturnType<typeof tempDir>> = [];

  beforeAll(async () => {
    redis = await startRedis();
    const shared = { ...(await testDatabaseEnv()), REDIS_URL: redis.url, MQTT_PROXY_FROM: '127.0.0.1', ADMIN_PASSWORD: PASSWORD };
    // One after the other: the first creates the admin account, the second finds it.
    for (let i = 0; i < 2; i++) {
      const dir = tempDir('cluster-failover-');
      dirs.push(dir);
      nodes.push(await startBackendProcess({ ...shared, DATA_DIR: dir.path }));
    }
    haproxy = await startHaproxy({
      frontends: [
        {
          name: 'mqtt',
          mode: 'tcp',
          backends: nodes.map((n) => ({
            host: '127.0.0.1',
            port: n.mqttPort,
            sendProxyV2: true,
            checkHttpPath: '/api/ready',
            checkPort: n.httpPort,
          })),
        },
      ],
    });
  }, 90_000);
  afterAll(async () => {
    await haproxy?.remove();
    for (const n of nodes) await n.kill();
    for (const d of dirs) d.remove();
    await redis?.remove();
  });

  async function call(node: BackendProcess, method: string, path: string, body?: unknown) {
    const login = await fetch(`${node.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${node.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return res.json() as Promise<Record<string, unknown>>;
  }

  async function storedFaultIds(node: BackendProcess): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = (await call(node, 'GET', `/devices/${SERIAL}/faults?limit=500${cursor ? `&cursor=${cursor}` : ''}`)) as {
        faults: Array<{ id: string }>;
        nextCursor: string | null;
      };
      for (const f of page.faults) ids.add(f.id);
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  it('moves the box to the surviving node with its presence, its queued command and every acknowledged fault', async () => {
    const { secret } = (await call(nodes[0]!, 'POST', '/devices', { serial: SERIAL, model: 'MT-BOX-4G' })) as { secret: string };
    const balancer = `mqtt://127.0.0.1:${haproxy.port('mqtt')}`;

    // Faults acknowledged by whichever node the balancer chose, some still in flight at the kill.
    const box = await connectBox(balancer, SERIAL, secret, { clean: false });
    const acked: string[] = [];
    const sends = Array.from({ length: 200 }, (_, i) => {
      const id = `failover-${i}`;
      return new Promise<void>((resolve) => {
        box.publish(
          topicFor(SERIAL, 'fault'),
          JSON.stringify({ id, ts: Date.now(), code: 'WATCHDOG_RESET', severity: 'error' }),
          { qos: 1 },
          (err) => {
            if (!err) acked.push(id);
            resolve();
          },
        );
      });
    });
    await waitFor(() => acked.length >= 100, { timeoutMs: 20_000, what: '100 acknowledged faults' });

    // The node holding the box, from where the cluster keeps it (node id = host-pid-random).
    const client = new Redis(redis.url);
    const held = await client.hget('mtbox:presence', SERIAL);
    await client.quit();
    const holderIndex = nodes.findIndex((n) => held?.includes(`-${n.child.pid}-`));
    expect(holderIndex).toBeGreaterThanOrEqual(0);
    const dead = nodes[holderIndex]!;
    const survivor = nodes[1 - holderIndex]!;
    await dead.kill();
    box.end(true);
    await Promise.race([Promise.all(sends), new Promise((r) => setTimeout(r, 1000))]);

    // Nobody said goodbye for the box: the survivor finds the dead node's heartbeat gone.
    await waitFor(async () => !((await call(survivor, 'GET', `/devices/${SERIAL}`)) as { presence: { online: boolean } }).presence.online, {
      timeoutMs: 40_000,
      what: 'the survivor to take the box offline',
    });
    const queued = (await call(survivor, 'POST', `/devices/${SERIAL}/commands`, { name: 'ping', queue: true })) as { id: string; status: string };
    expect(queued.status).toBe('queued');

    const sim = new SimBox({ serial: SERIAL, secret, mqttUrl: balancer, model: 'MT-BOX-4G', firmware: '2.4.1' });
    sim.start();
    try {
      await sim.waitOnline();
      const done = await waitFor(
        async () => {
          const c = (await call(survivor, 'GET', `/devices/${SERIAL}/commands/${queued.id}`)) as { status: string };
          return c.status === 'queued' || c.status === 'sent' ? null : c;
        },
        { timeoutMs: 20_000, what: 'the queued command to be answered' },
      );
      expect(done.status).toBe('succeeded');
      const device = (await call(survivor, 'GET', `/devices/${SERIAL}`)) as { presence: { online: boolean; address: string | null } };
      expect(device.presence).toMatchObject({ online: true, address: '127.0.0.1' });
      const stored = await storedFaultIds(survivor);
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await sim.stop({ graceful: false });
    }
  }, 120_000);
});
