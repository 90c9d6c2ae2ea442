import { existsSync } from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineServer, type PostgresServer, startPostgres, startRedis } from './helpers/engines.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The engines the many-node tests run on (issue 15), started the way those tests will start them:
 * real processes on free loopback ports, stopped and removed afterwards.
 */

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL for tests', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.remove();
  });

  it('answers select 1 on its loopback port', async () => {
    expect(postgres.url).toBe(`postgres://mtbox@127.0.0.1:${postgres.port}/postgres`);
    expect(await query<{ one: number }>(postgres.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('creates separate databases, each keeping its own tables', async () => {
    const first = await postgres.createDatabase();
    const second = await postgres.createDatabase('named_one');
    expect(second).toBe(`postgres://mtbox@127.0.0.1:${postgres.port}/named_one`);
    expect(first).not.toBe(second);
    await query(first, 'create table devices (id integer primary key, serial text not null)');
    await query(first, "insert into devices values (1, 'MT-1')");
    expect(await query(first, 'select id, serial from devices')).toEqual([{ id: 1, serial: 'MT-1' }]);
    const tables = await query<{ table_name: string }>(second, "select table_name from information_schema.tables where table_schema = 'public'");
    expect(tables).toEqual([]);
  });

  it('refuses connections once stopped, keeps its data across a restart, and remove() deletes its files', async () => {
    const engine = await startPostgres();
    const [dataDir] = await query<{ setting: string }>(engine.url, "select setting from pg_settings where name = 'data_directory'");
    const url = await engine.createDatabase('kept');
    await query(url, 'create table kept (n integer)');
    await engine.stop();
    expect(engine.running()).toBe(false);
    await expect(query(engine.url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await engine.start();
    expect(await query(url, 'select count(*)::integer as n from kept')).toEqual([{ n: 0 }]);
    expect(existsSync(dataDir?.setting ?? '')).toBe(true);
    await engine.remove();
    expect(existsSync(dataDir?.setting ?? '')).toBe(false);
    await expect(query(engine.url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

/** The error code of a plain TCP connection to the port, or 'connected'. */
function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
  });
}

/** A client that gives up at once when Redis is away, so a refused connection shows as an error. */
function redisClient(url: string): Redis {
  return new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
}

describe('Redis for tests', () => {
  let redis: EngineServer;
  const clients: Redis[] = [];
  const connect = async () => {
    const client = redisClient(redis.url);
    clients.push(client);
    await client.connect();
    return client;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.remove();
  });

  it('stores and answers a key on its loopback port', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const client = await connect();
    expect(await client.set('device:MT-1', 'online')).toBe('OK');
    expect(await client.get('device:MT-1')).toBe('online');
  });

  it('delivers a message published on one connection to a subscriber on another', async () => {
    const subscriber = await connect();
    const publisher = await connect();
    const received: Array<[string, string]> = [];
    subscriber.on('message', (channel: string, message: string) => received.push([channel, message]));
    await subscriber.subscribe('presence');
    expect(await publisher.publish('presence', 'MT-1 online')).toBe(1);
    await waitFor(() => received.length > 0, { what: 'the published message' });
    expect(received).toEqual([['presence', 'MT-1 online']]);
  });

  it('refuses connections once stopped and answers again on the same port after start()', async () => {
    const engine = await startRedis();
    try {
      await engine.stop();
      expect(engine.running()).toBe(false);
      expect(await connectError(engine.port)).toBe('ECONNREFUSED');
      await engine.start();
      const client = redisClient(engine.url);
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
    } finally {
      await engine.remove();
    }
  });
});
