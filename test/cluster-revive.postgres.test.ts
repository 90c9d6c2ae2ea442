import net from 'node:net';
import type { MqttClient } from 'mqtt';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBox, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { testDatabaseEnv } from './helpers/test-database.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * A node that only looked dead (issue 15): node A loses Redis for longer than NODE_TTL_MS while
 * its boxes stay connected to it. Node B takes A for dead and records A's boxes offline. Once A
 * reaches Redis again it finds its heartbeat had lapsed and announces its boxes again, but not
 * one that reconnected to B meanwhile.
 *
 * The cut is a TCP relay in this test between node A and Redis, which the test closes (and then
 * refuses connections) for a while: it stands in for a network partition, on loopback only.
 */

const STAYS = 'MTB26REVIVE01';
const MOVES = 'MTB26REVIVE02';
const LEAVES = 'MTB26REVIVE03';
const HASH = 'mtbox:presence';

interface CuttableRelay {
  url: string;
  /** Drops every connection through it and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function startCuttableRelay(target: number): Promise<CuttableRelay> {
  const sockets = new Set<net.Socket>();
  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer((client) => {
        const upstream = net.connect(target, '127.0.0.1');
        const end = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', end).on('close', end);
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  let server: net.Server | null = await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const cut = async () => {
    const closing = server;
    server = null;
    if (!closing) return;
    const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut,
    async restore() {
      server ??= await listen(port);
    },
    close: cut,
  };
}

describe('a node that only looked dead', () => {
  let redis: EngineServer;
  let relay: CuttableRelay;
  let spy: Redis;
  let a: TestBackend;
  let b: TestBackend;
  const boxes: MqttClient[] = [];
  const secrets = new Map<string, string>();
  // A's warnings and errors, one JSON line each.
  const logOfA: string[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    relay = await startCuttableRelay(redis.port);
    spy = new Redis(redis.url);
    const shared = { ...(await testDatabaseEnv()), REDIS_URL: redis.url };
    a = await startTestBackend({ ...shared, REDIS_URL: relay.url, LOG_LEVEL: 'warn' }, { logDestination: { write: (line) => logOfA.push(line) } });
    b = await startTestBackend(shared);
    for (const cred of await a.app.provision([STAYS, MOVES, LEAVES])) secrets.set(cred.serial, cred.secret);
  }, 60_000);
  afterAll(async () => {
    for (const box of boxes) await box.endAsync(true);
    await b?.stop();
    await a?.stop();
    await relay?.close();
    spy?.disconnect();
    await redis?.remove();
  });

  async function presence(node: TestBackend, serial: string): Promise<{ online: boolean; address: string | null }> {
    const res = await fetch(`${node.api}/devices/${serial}`, { headers: await node.adminHeaders() });
    expect(res.status).toBe(200);
    return ((await res.json()) as { presence: { online: boolean; address: string | null } }).presence;
  }
  const holderInRedis = async (serial: string) => (await spy.hget(HASH, serial))?.split(' ')[0];

  it('shows A’s boxes online again once A reaches Redis, and leaves a box that moved to B on B', async () => {
    for (const serial of [STAYS, MOVES]) boxes.push(await connectBox(a.mqttUrl, serial, secrets.get(serial)!));
    const before = await waitFor(async () => ((await presence(b, STAYS)).online ? presence(b, STAYS) : null), {
      what: 'node B to see the box on A online',
    });
    expect(before.address).not.toBeNull();
    await waitFor(async () => (await presence(b, MOVES)).online, { what: 'node B to see the second box on A online' });
    const nodeA = await holderInRedis(STAYS);
    expect(nodeA).toBeDefined();

    await relay.cut();
    // A's heartbeat lapses after NODE_TTL_MS (15 s); B's sweep (every 5 s) then releases A's boxes.
    for (const serial of [STAYS, MOVES]) {
      await waitFor(async () => !(await presence(b, serial)).online, { timeoutMs: 30_000, what: `node B to take ${serial} for offline` });
    }
    expect(await spy.hexists(HASH, STAYS)).toBe(0);

    // Meanwhile one box comes back through B; A, cut off, still holds its old connection.
    const leftOnA = boxes[1]!;
    const leftOnAClosed = new Promise<void>((resolve) => leftOnA.once('close', () => resolve()));
    boxes.push(await connectBox(b.mqttUrl, MOVES, secrets.get(MOVES)!));
    await waitFor(async () => (await presence(b, MOVES)).online, { what: 'node B to see the box that moved online' });
    const nodeB = await holderInRedis(MOVES);
    expect(nodeB).not.toBe(nodeA);

    await relay.restore();
    const after = await waitFor(async () => ((await presence(b, STAYS)).online ? presence(b, STAYS) : null), {
      timeoutMs: 15_000,
      what: 'node B to see the box on A online again',
    });
    expect(after.address).toBe(before.address);
    expect(await presence(a, STAYS)).toMatchObject({ online: true, address: before.address });
    expect(await holderInRedis(STAYS)).toBe(nodeA);

    // The box that reconnected to B stays B's; A ends the connection it still had, and shows
    // the box online (on B) rather than gone.
    await leftOnAClosed;
    expect(await holderInRedis(MOVES)).toBe(nodeB);
    expect((await presence(b, MOVES)).online).toBe(true);
    expect((await presence(a, MOVES)).online).toBe(true);
    const warning = logOfA.map((line) => JSON.parse(line) as { level: number; msg: string }).find((l) => l.msg.includes('taken for dead'));
    expect(warning).toMatchObject({ level: 40 });
    expect(warning?.msg).toContain('its 1 boxes are announced again');
  }, 90_000);

  it('takes a box that left A during a short cut off the others’ views once A reaches Redis again', async () => {
    const box = await connectBox(a.mqttUrl, LEAVES, secrets.get(LEAVES)!);
    await waitFor(async () => (await presence(b, LEAVES)).online, { what: 'node B to see the box on A online' });
    const unreachable = () => logOfA.some((line) => line.includes('Redis is unreachable'));
    logOfA.length = 0;

    // Shorter than NODE_TTL_MS: nobody takes A for dead, but what A could not write is lost.
    await relay.cut();
    await waitFor(unreachable, { what: 'node A to notice Redis is away' });
    await box.endAsync(true);
    await waitFor(() => logOfA.some((line) => line.includes('box location not released')), { what: 'node A to fail to release the box' });
    await relay.restore();

    await waitFor(async () => !(await presence(b, LEAVES)).online, { timeoutMs: 15_000, what: 'node B to see the box offline' });
    expect(await spy.hexists(HASH, LEAVES)).toBe(0);
    expect((await presence(a, LEAVES)).online).toBe(false);
    expect(logOfA.some((line) => line.includes('taken for dead'))).toBe(false);
  }, 60_000);
});
