import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type EngineServer, type PostgresServer, startPostgres, startRedis } from './helpers/engines.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Issue 15: "a ban earned on node A holds on node B". Two whole backends in this process, as a
 * cluster runs them: one PostgreSQL database, one Redis (REDIS_URL), the same box-secret key.
 */

const BOX_SECRET_KEY = Buffer.alloc(32, 9).toString('base64');
const ATTACKER = '127.0.0.2';
const PLANT = '127.0.0.3';

async function login(node: TestBackend, username: string, password: string): Promise<number> {
  const res = await fetch(`${node.api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('a cluster of two backends on PostgreSQL and Redis', () => {
  let postgres: PostgresServer;
  let redis: EngineServer;
  let env: Record<string, string>;
  let a: TestBackend;
  let b: TestBackend;
  let late: TestBackend | undefined;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    env = {
      DATABASE_URL: await postgres.createDatabase(),
      BOX_SECRET_KEY,
      REDIS_URL: redis.url,
      LOGIN_FAILURES_BEFORE_BAN: '2',
    };
    // One after the other: the first migrates the database and creates the admin.
    a = await startTestBackend(env);
    b = await startTestBackend(env);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), late?.stop()]);
    await Promise.all([postgres?.remove(), redis?.remove()]);
  });

  it('refuses the admin on both nodes once wrong passwords sent one to each reach the limit', async () => {
    expect(await login(a, 'admin', 'wrong password 1')).toBe(401);
    expect(await login(b, 'admin', 'wrong password 2')).toBe(401);
    await waitFor(async () => (await login(a, 'admin', 'any')) === 429, { what: 'node A to refuse the admin' });
    expect(await login(b, 'admin', 'any')).toBe(429);
  });

  it('refuses on node B a box whose wrong secrets went to node A, and lets it in from its own address', async () => {
    const [box] = await a.app.provision(['MTB2611000401']);
    if (!box) throw new Error('no box provisioned');
    expect(await rawConnect(a.app.mqttPort, box.serial, 'guess-1', { from: ATTACKER })).toBe(4);
    expect(await rawConnect(a.app.mqttPort, box.serial, 'guess-2', { from: ATTACKER })).toBe(4);
    await waitFor(async () => (await rawConnect(b.app.mqttPort, box.serial, box.secret, { from: ATTACKER })) === 5, {
      what: 'node B to refuse the banned pair',
    });
    expect(await rawConnect(b.app.mqttPort, box.serial, box.secret, { from: PLANT })).toBe(0);
  });

  it('refuses the banned admin on a node started after the ban', async () => {
    expect(await login(b, 'admin', 'any')).toBe(429);
    late = await startTestBackend(env);
    await waitFor(async () => (await login(late!, 'admin', 'any')) === 429, { what: 'the late node to load the ban' });
  });
});
