import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../broker/server.ts';
import { composeServices, type Services } from '../services/compose-services.ts';
import { loadConfig } from '../services/platform/config.ts';
import { openDatabase, type OpenedDatabase } from '../services/platform/db/index.ts';
import { openRedis, type RedisConnection } from '../services/platform/redis/index.ts';
import { createSharedFailureThrottles } from '../services/platform/security/index.ts';
import { type EngineServer, startRedis } from './helpers/engines.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Issue 15, "a ban earned on node A holds on node B", through the real login paths: two nodes,
 * each the services, HTTP API and broker as the backend composes them, with their login throttles
 * shared through one real Redis. Each node keeps its own SQLite file here (a cluster shares one
 * PostgreSQL database; what is shared under test is the throttles), holding the same account and box.
 */

const START = Date.parse('2025-06-15T08:00:00Z');
const BOX = { serial: 'MTB2611000301', secret: 'the-same-box-secret-on-both-nodes' };
const ATTACKER = '127.0.0.2';
const PLANT = '127.0.0.3';

interface Node {
  url: string;
  mqttPort: number;
  stop(): Promise<void>;
}

async function startNode(redisUrl: string): Promise<Node> {
  const dir = tempDir('redis-node-');
  // Two failures ban an account from an address, and a box from an address (the address itself after 20).
  const config = loadConfig({ DATA_DIR: dir.path, LOG_LEVEL: 'silent', LOGIN_FAILURES_BEFORE_BAN: '2', MQTT_PORT: '0', HTTP_PORT: '0' });
  const logger = pino({ level: 'silent' });
  const clock = () => START;
  const opened: OpenedDatabase = await openDatabase({ dataDir: dir.path });
  const redis: RedisConnection = openRedis(redisUrl, logger);
  const throttles = createSharedFailureThrottles(redis, { logger, clock });
  let broker: RunningBroker | null = null;
  const services: Services = await composeServices(config, opened, {
    logger,
    clock,
    throttles,
    edge: {
      publishCommand: () => {},
      isConnected: () => false,
      disconnect: () => {},
      stats: () => ({}),
    },
  });
  await services.provision([BOX.serial], BOX.secret);
  const { registry, intake, telemetry, shadows, boxSecrets } = services;
  broker = await startBroker({ config, logger, clock, registry, boxSecrets, intake, telemetry, shadows, throttles });
  const server = http.createServer(services.httpApp({ onSessionsRevoked: () => {} }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await waitFor(() => redis.connected(), { what: 'the node to reach Redis' });
  const mqttPort = broker.port;
  if (mqttPort === null) throw new Error('the broker has no plain MQTT port');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mqttPort,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await broker?.close();
      await services.stop();
      await redis.close();
      await opened.close();
      dir.remove();
    },
  };
}

async function login(node: Node, username: string, password: string): Promise<{ status: number; error?: string }> {
  const res = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, ...(body.error ? { error: body.error } : {}) };
}

describe('a ban earned on one node holds on the other (login throttles shared through Redis)', () => {
  let redis: EngineServer;
  let a: Node;
  let b: Node;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([startNode(redis.url), startNode(redis.url)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.remove();
  });

  it('refuses on node B an HTTP login whose failures were made one on each node', async () => {
    expect(await login(a, 'mallory', 'wrong password 1')).toEqual({ status: 401, error: 'INVALID_CREDENTIALS' });
    expect(await login(b, 'mallory', 'wrong password 2')).toEqual({ status: 401, error: 'INVALID_CREDENTIALS' });
    await waitFor(async () => (await login(a, 'mallory', 'any')).status === 429, { what: 'node A to refuse mallory' });
    expect(await login(b, 'mallory', 'any')).toEqual({ status: 429, error: 'TOO_MANY_ATTEMPTS' });
    expect(await login(b, 'someone-else', 'any')).toEqual({ status: 401, error: 'INVALID_CREDENTIALS' });
  });

  it('refuses on node B a box whose wrong secrets were sent to node A, from that address only', async () => {
    expect(await rawConnect(a.mqttPort, BOX.serial, 'guess-1', { from: ATTACKER })).toBe(4);
    expect(await rawConnect(a.mqttPort, BOX.serial, 'guess-2', { from: ATTACKER })).toBe(4);
    // Not authorized without a secret check, even with the right secret: the pair is banned on B too.
    await waitFor(async () => (await rawConnect(b.mqttPort, BOX.serial, BOX.secret, { from: ATTACKER })) === 5, {
      what: 'node B to refuse the banned pair',
    });
    expect(await rawConnect(b.mqttPort, BOX.serial, BOX.secret, { from: PLANT })).toBe(0);
  });
});
