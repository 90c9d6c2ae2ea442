import { createHash } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_CHUNK_BYTES, CommandRequest } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * A box that answers with valid JSON of hostile shape: 10,000 nested objects (about 60 KB,
 * under the payload limit). This once overflowed the stack in JSON.stringify, turned into an
 * unhandled rejection and ended the process. Each path a box's JSON takes is fed it here, and
 * the backend must stay up, refuse it and carry on with the next valid message.
 */

const DEEP = 10_000;
const deepText = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

type Answer = (request: CommandRequest, box: MqttClient) => void | Promise<void>;

describe('a box sending deeply nested JSON', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  const creds = new Map<string, string>();
  const open: MqttClient[] = [];
  const serials = ['MTB26HOS00001', 'MTB26HOS00002', 'MTB26HOS00003', 'MTB26HOS00004', 'MTB26HOS00005'];

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
    for (const c of await backend.app.provision(serials)) creds.set(c.serial, c.secret);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.endAsync()));
    await backend.stop();
  });

  async function box(serial: string, answer: Answer, received: CommandRequest[] = []): Promise<MqttClient> {
    const client = await connectBox(backend.mqttUrl, serial, creds.get(serial)!);
    open.push(client);
    client.on('message', (_topic, payload) => {
      const req = CommandRequest.parse(JSON.parse(payload.toString()));
      received.push(req);
      void answer(req, client);
    });
    await client.subscribeAsync(topicFor(serial, 'cmd/req'), { qos: 1 });
    return client;
  }
  const raw = (serial: string, client: MqttClient, text: string) => publish(client, topicFor(serial, 'cmd/res'), text);

  // biome-ignore lint/suspicious/noExplicitAny: answers are asserted field by field against literal values
  async function command(serial: string, body: unknown): Promise<{ status: number; json: Record<string, any> }> {
    const res = await fetch(`${backend.api}/devices/${serial}/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function healthy(): Promise<void> {
    const res = await fetch(`${backend.api}/health`);
    expect(res.status).toBe(200);
  }

  it('fails a command whose result nests 10,000 levels, and stays up', async () => {
    const sn = serials[0]!;
    const client = await box(sn, (req, c) => raw(sn, c, `{"id":"${req.id}","ok":true,"result":${deepText(DEEP)}}`));
    const { status, json } = await command(sn, { name: 'diagnostics.run' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'failed', error: { code: 'invalid-answer' } });
    expect(json.error.message).toContain('too-deep');
    await healthy();
    const history = (await (await fetch(`${backend.api}/devices/${sn}/commands`, { headers })).json()) as Array<Record<string, unknown>>;
    expect(history[0]).toMatchObject({ id: json.id, status: 'failed', error: { code: 'invalid-answer' } });
    await client.endAsync();
  });

  it('fails a command whose error details nest 10,000 levels', async () => {
    const sn = serials[0]!;
    const client = await box(sn, (req, c) =>
      raw(sn, c, `{"id":"${req.id}","ok":false,"error":{"code":"busy","message":"x","details":${deepText(DEEP)}}}`),
    );
    const { json } = await command(sn, { name: 'ping' });
    expect(json).toMatchObject({ status: 'failed', error: { code: 'invalid-answer' } });
    await healthy();
    await client.endAsync();
  });

  it('fails a command whose chunked result reassembles into 10,000 levels', async () => {
    const sn = serials[0]!;
    const text = `{"x":${deepText(DEEP)}}`;
    const sha256 = createHash('sha256').update(text).digest('hex');
    const parts = Math.ceil(text.length / COMMAND_CHUNK_BYTES);
    const client = await box(sn, async (req, c) => {
      for (let part = 0; part < parts; part++) {
        const data = text.slice(part * COMMAND_CHUNK_BYTES, (part + 1) * COMMAND_CHUNK_BYTES);
        await publish(c, topicFor(sn, 'cmd/res'), { id: req.id, ok: true, part, parts, sha256, data });
      }
    });
    const { json } = await command(sn, { name: 'log.fetch' });
    expect(json).toMatchObject({ status: 'failed', error: { code: 'invalid-result' } });
    await healthy();
    await client.endAsync();
  });

  it('survives the scheduled backup reading a hostile parameter set, and records the failure', async () => {
    const sn = serials[1]!;
    const client = await box(sn, (req, c) => raw(sn, c, `{"id":"${req.id}","ok":true,"result":${deepText(DEEP)}}`));
    await waitFor(() => backend.app.broker.isConnected(sn), { what: 'the box online' });
    const report = await backend.app.afterSales.deps.params.scheduleDue(Date.now());
    expect(report.failed).toContainEqual({ serial: sn, code: expect.any(String) });
    await healthy();
    const backups = (await (await fetch(`${backend.api}/devices/${sn}/backups`, { headers })).json()) as unknown[];
    expect(backups).toEqual([]);
    await client.endAsync();
  });

  it('refuses deep command args from the API with 400 before anything reaches the box', async () => {
    const sn = serials[2]!;
    const received: CommandRequest[] = [];
    const client = await box(sn, (req, c) => publish(c, topicFor(sn, 'cmd/res'), { id: req.id, ok: true, result: {} }), received);
    const deepArgs = `{"name":"params.set","args":{"changes":${deepText(DEEP)}}}`;
    const { status, json } = await command(sn, deepArgs);
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: 'VALIDATION_FAILED', message: ERROR_MESSAGES.VALIDATION_FAILED.en, details: [{ in: 'body', path: 'args' }] });
    // The params.set would first read the parameters for its backup: nothing was sent at all.
    const ping = await command(sn, { name: 'ping' });
    expect(ping.json).toMatchObject({ status: 'succeeded' });
    expect(received.map((r) => r.name)).toEqual(['ping']);
    await client.endAsync();
  });

  it('fails a queued command that the box answers with 10,000 levels once it reconnects', async () => {
    const sn = serials[3]!;
    const queued = await command(sn, { name: 'diagnostics.run', queue: true });
    expect(queued.json).toMatchObject({ status: 'queued' });
    const client = await box(sn, (req, c) => raw(sn, c, `{"id":"${req.id}","ok":true,"result":${deepText(DEEP)}}`));
    const outcome = await waitFor(
      async () => {
        const history = (await (await fetch(`${backend.api}/devices/${sn}/commands`, { headers })).json()) as Array<{
          id: string;
          status: string;
          error?: { code: string };
        }>;
        const row = history.find((h) => h.id === queued.json.id);
        return row && row.status !== 'queued' && row.status !== 'sent' ? row : null;
      },
      { what: 'the queued command to end' },
    );
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'invalid-answer' } });
    await healthy();
    await client.endAsync();
  });

  it('answers a live diff and a restore whose reads come back hostile with a clear error, and stays up', async () => {
    const sn = serials[4]!;
    const params = { 'plc.baud': 9600, 'net.apn': 'cmnet' };
    // The first read is an honest one, so there is a backup to diff against and restore.
    let honest = true;
    const client = await box(sn, (req, c) => {
      if (req.name === 'params.get' && honest) {
        honest = false;
        return publish(c, topicFor(sn, 'cmd/res'), { id: req.id, ok: true, result: params });
      }
      return raw(sn, c, `{"id":"${req.id}","ok":true,"result":${deepText(DEEP)}}`);
    });
    const created = await fetch(`${backend.api}/devices/${sn}/backups`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    const diff = await fetch(`${backend.api}/backups/${id}/diff/live`, { headers });
    expect(diff.status).toBe(502);
    expect(await diff.json()).toMatchObject({ error: 'PARAMS_READ_FAILED' });

    const restore = await fetch(`${backend.api}/devices/${sn}/restore`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ backupId: id }),
    });
    expect(restore.status).toBe(502);
    expect(await restore.json()).toMatchObject({ error: 'BACKUP_FAILED' });
    await healthy();
    await client.endAsync();
  });

  it('acknowledges a fault with a 10,000-level context, counts it, and stores the next valid fault', async () => {
    const sn = serials[2]!;
    // clean: false makes an unacknowledged QoS 1 message come back on every reconnect.
    const client = await connectBox(backend.mqttUrl, sn, creds.get(sn)!, { clean: false });
    open.push(client);
    let closes = 0;
    client.on('close', () => closes++);
    const now = Date.now();
    const deep = `{"id":"deep-1","ts":${now},"code":"PLC_LINK_DOWN","severity":"error","context":${deepText(DEEP)}}`;
    await publish(client, topicFor(sn, 'fault'), deep);
    await publish(client, topicFor(sn, 'event'), `{"id":"deep-2","ts":${now},"type":"surge","details":${deepText(DEEP)}}`);
    await publish(client, topicFor(sn, 'fault'), { id: 'ok-1', ts: now, code: 'PLC_LINK_DOWN', severity: 'error', context: { port: 2 } });
    const device = await backend.app.registry.findBySerial(sn);
    await waitFor(() => (backend.app.shadows.get(device!.id)?.rejected['too-deep'] ?? 0) >= 2, { what: 'two too-deep rejections counted' });
    const list = (await (await fetch(`${backend.api}/devices/${sn}/faults`, { headers })).json()) as { faults: Array<{ id: string }> };
    expect(list.faults.map((f) => f.id)).toEqual(['ok-1']);
    expect(closes).toBe(0);
    expect(client.connected).toBe(true);
    await healthy();
  });
});
