import { pino } from 'pino';
import { databaseEachTest } from './helpers/database-each-test.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../services/contract/payloads.ts';
import { createCommandService, QUEUE_TTL_MS, type CommandService } from '../services/edge/commands/command-service.ts';
import { listCommands } from '../services/edge/commands/store/command-store.ts';
import { listAudit } from '../services/platform/audit/store/audit-log.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The command service's life outside one request and answer: queued commands that expire,
 * commands a restart or a stop leaves without a waiter, and a queued parameter change whose
 * backup fails. The project's database (SQLite in a temp dir, or PostgreSQL); the transport is a small recorder of the port
 * (the broker side is covered by commands-wire.test.ts).
 */

const SERIAL = 'MTB26LIFE0001';
const admin = { username: 'admin', role: 'admin' as const };

describe('command lifecycle', () => {
  const scratch = databaseEachTest();
  let deviceId: number;
  let now: number;
  let connected: boolean;
  let published: CommandRequest[];
  let service: CommandService;

  function start(beforeParamsSet?: () => Promise<void>): CommandService {
    return createCommandService({
      db: scratch.db,
      clock: () => now,
      logger: pino({ level: 'silent' }),
      transport: { publish: (_serial, request) => void published.push(request), isConnected: () => connected },
      ...(beforeParamsSet ? { beforeParamsSet } : {}),
    });
  }
  const stored = async (id: string) => (await listCommands(scratch.db, { serial: SERIAL, id, limit: 1, withResult: true }))[0];

  beforeEach(async () => {
    const row = await scratch.db
      .insertInto('devices')
      .values({ serial: SERIAL, model: 'MT-BOX-4G', enabled: 1, secret_hash: 'x', created_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    deviceId = row.id;
    now = 1_750_000_000_000;
    connected = false;
    published = [];
    service = start();
  });
  afterEach(async () => {
    await service.close();
  });

  it('ends a queued command timed out as expired once its lifetime has passed, with an audit entry', async () => {
    const queued = await service.send(SERIAL, { name: 'reboot', args: { delayS: 1 }, queue: true }, admin);
    expect(queued.status).toBe('queued');
    now += QUEUE_TTL_MS - 1;
    expect(await service.expireQueued()).toBe(0);
    now += 1;
    expect(await service.expireQueued()).toBe(1);
    expect(await stored(queued.id)).toMatchObject({ status: 'timed-out', error: { code: 'expired' } });
    const audit = await listAudit(scratch.db, 'device', deviceId);
    expect(audit.map((a) => [a.action, a.to])).toEqual([['command', 'timed-out']]);
  });

  it('ends an expired queued command once when two nodes sweep at once, with one audit entry', async () => {
    const queued = await service.send(SERIAL, { name: 'reboot', args: { delayS: 1 }, queue: true }, admin);
    now += QUEUE_TTL_MS;
    // A second service on the same database stands for another node.
    const other = start();
    expect(await Promise.all([service.expireQueued(), other.expireQueued()]).then(([a, b]) => a + b)).toBe(1);
    await other.close();
    expect(await stored(queued.id)).toMatchObject({ status: 'timed-out', error: { code: 'expired' } });
    const audit = await listAudit(scratch.db, 'device', deviceId);
    expect(audit.map((a) => [a.action, a.to])).toEqual([['command', 'timed-out']]);
  });

  it('sends a queued command once when the box is reported ready twice at once', async () => {
    const queued = await service.send(SERIAL, { name: 'ping', queue: true }, admin);
    connected = true;
    service.onBoxReady(SERIAL);
    service.onBoxReady(SERIAL);
    await waitForPublished(1);
    service.onResponse(SERIAL, { id: queued.id, ok: true, result: {} });
    await service.idle();
    expect(published.map((p) => p.id)).toEqual([queued.id]);
    expect(await stored(queued.id)).toMatchObject({ status: 'succeeded' });
  });

  it("lists the box's commands newest first, a page after (request time, id) at a time", async () => {
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await service.send(SERIAL, { name: 'ping', queue: true }, admin)).id);
      // Two commands at the same millisecond: the id orders them.
      if (i === 0) now += 1;
    }
    const newestFirst = (await listCommands(scratch.db, { serial: SERIAL, limit: 10, withResult: false })).map((c) => [c.requestedAt, c.id] as const);
    expect(newestFirst.map(([, id]) => id).sort()).toEqual([...sent].sort());
    expect(newestFirst[2]?.[1]).toBe(sent[0]);
    const page = await listCommands(scratch.db, { serial: SERIAL, before: newestFirst[0]!, limit: 10, withResult: false });
    expect(page.map((c) => c.id)).toEqual(newestFirst.slice(1).map(([, id]) => id));
  });

  it('does not deliver an expired queued command when the box reconnects', async () => {
    const queued = await service.send(SERIAL, { name: 'ping', queue: true }, admin);
    now += QUEUE_TTL_MS;
    connected = true;
    service.onBoxReady(SERIAL);
    await service.idle();
    expect(published).toEqual([]);
    expect((await stored(queued.id))?.status).toBe('timed-out');
  });

  it('closes commands left sent by a restart as timed out (backend-restarted) at the next start', async () => {
    connected = true;
    const answer = service.send(SERIAL, { name: 'ping', timeoutMs: 60_000 }, admin);
    await waitForPublished(1);
    // A second service on the same database stands for the process after a restart.
    expect(await start().recover()).toBe(1);
    const id = published[0]!.id;
    expect(await stored(id)).toMatchObject({ status: 'timed-out', error: { code: 'backend-restarted' } });
    service.onResponse(SERIAL, { id, ok: true, result: {} });
    await answer;
  });

  it('records every waiting command timed out (backend-stopping) when the service stops', async () => {
    connected = true;
    const answer = service.send(SERIAL, { name: 'ping', timeoutMs: 60_000 }, admin);
    await waitForPublished(1);
    expect(service.pending()).toBe(1);
    await service.close();
    expect(await answer).toMatchObject({ status: 'timed-out', error: { code: 'backend-stopping' } });
    expect(service.pending()).toBe(0);
    expect((await stored(published[0]!.id))?.status).toBe('timed-out');
  });

  it('ignores an answer from another box for a waiting command id', async () => {
    connected = true;
    const answer = service.send(SERIAL, { name: 'ping', timeoutMs: 60_000 }, admin);
    await waitForPublished(1);
    const id = published[0]!.id;
    service.onResponse('MTB26OTHER001', { id, ok: true, result: { spoofed: true } });
    expect(service.pending()).toBe(1);
    service.onResponse(SERIAL, { id, ok: true, result: { pong: true } });
    expect(await answer).toEqual({ id, status: 'succeeded', result: { pong: true } });
  });

  it('fails a queued parameter change whose backup fails on reconnect, and sends nothing', async () => {
    await service.close();
    service = start(() => Promise.reject(new Error('box did not answer params.get')));
    const queued = await service.send(SERIAL, { name: 'params.set', args: { changes: { 'plc.baud': 19200 } }, queue: true }, admin);
    connected = true;
    service.onBoxReady(SERIAL);
    await service.idle();
    expect(published).toEqual([]);
    expect(await stored(queued.id)).toMatchObject({ status: 'failed', error: { code: 'backup-failed' } });
  });

  async function waitForPublished(count: number): Promise<void> {
    // send() publishes after a few awaited database writes (round trips on PostgreSQL).
    await waitFor(() => published.length >= count, { what: `${count} published command(s)` });
    expect(published).toHaveLength(count);
  }
});
