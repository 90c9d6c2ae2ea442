import { createHash } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRequest } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The backend side of the command protocol over real MQTT. The box here is a bare mqtt.js
 * client answering by hand, so each test controls the exact bytes: parts, digests, silence.
 * The simulator's own command handling is tested in device-sim/.
 */

type Answer = (request: CommandRequest, box: MqttClient) => void | Promise<void>;

describe('remote commands on the wire', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  const creds = new Map<string, string>();
  const open: MqttClient[] = [];

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
    for (const c of await backend.app.provision(['MTB26CMD00001', 'MTB26CMD00002', 'MTB26CMD00003'])) creds.set(c.serial, c.secret);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.endAsync()));
    await backend.stop();
  });

  /** Connects a box that answers every request with `answer`, subscribed to its cmd/req. */
  async function box(serial: string, answer: Answer, opts: { clean?: boolean } = {}): Promise<MqttClient> {
    const client = await connectBox(backend.mqttUrl, serial, creds.get(serial)!, { clean: opts.clean ?? true });
    open.push(client);
    client.on('message', (_topic, payload) => void answer(CommandRequest.parse(JSON.parse(payload.toString())), client));
    await client.subscribeAsync(topicFor(serial, 'cmd/req'), { qos: 1 });
    return client;
  }

  const reply = (serial: string, client: MqttClient, body: unknown) => publish(client, topicFor(serial, 'cmd/res'), body);

  async function command(serial: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${backend.api}/devices/${serial}/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('answers succeeded with the result of a round trip, and records who sent it', async () => {
    const sn = 'MTB26CMD00001';
    const client = await box(sn, (req, c) => reply(sn, c, { id: req.id, ok: true, result: { uptime: 42, fw: '2.4.1' } }));
    const { status, json } = await command(sn, { name: 'ping' });
    expect(status).toBe(200);
    expect(json).toEqual({ id: expect.stringMatching(/^cmd-/), status: 'succeeded', result: { uptime: 42, fw: '2.4.1' } });
    const history = (await (await fetch(`${backend.api}/devices/${sn}/commands`, { headers })).json()) as Array<Record<string, unknown>>;
    expect(history[0]).toMatchObject({ id: json.id, name: 'ping', requestedBy: 'admin', status: 'succeeded' });
    await client.endAsync();
  });

  it('answers failed with the box error', async () => {
    const sn = 'MTB26CMD00001';
    const client = await box(sn, (req, c) => reply(sn, c, { id: req.id, ok: false, error: { code: 'busy', message: 'a scan is running' } }));
    const { json } = await command(sn, { name: 'diagnostics.run' });
    expect(json).toMatchObject({ status: 'failed', error: { code: 'busy', message: 'a scan is running' } });
    await client.endAsync();
  });

  it('does not change parameters it could not back up first', async () => {
    const sn = 'MTB26CMD00001';
    const names: string[] = [];
    const client = await box(sn, (req, c) => {
      names.push(req.name);
      return reply(sn, c, { id: req.id, ok: false, error: { code: 'busy', message: 'flash busy' } });
    });
    const { status, json } = await command(sn, { name: 'params.set', args: { changes: { 'plc.baud': 9600 } } });
    expect(status).toBe(409);
    expect(json).toMatchObject({ error: 'BACKUP_BEFORE_CHANGE_FAILED' });
    // The box was asked for its parameters, and never told to change them.
    expect(names).toEqual(['params.get']);
    await client.endAsync();
  });

  it('reassembles a chunked result and checks its digest', async () => {
    const sn = 'MTB26CMD00002';
    const params = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`points.${i}.name`, `sensor ${i} 温度`]));
    const text = JSON.stringify(params);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const slices = text.match(/[\s\S]{1,6000}/g)!;
    const client = await box(sn, async (req, c) => {
      // Out of order, and one part twice, as a QoS 1 redelivery would.
      const order = [...slices.keys()].reverse();
      for (const part of [...order, 0]) await reply(sn, c, { id: req.id, ok: true, part, parts: slices.length, sha256, data: slices[part] });
    });
    const { json } = await command(sn, { name: 'params.get' });
    expect(json.status).toBe('succeeded');
    expect(json.result).toEqual(params);
    await client.endAsync();
  });

  it('fails a chunked result with a part missing at the deadline, naming the part', async () => {
    const sn = 'MTB26CMD00002';
    const text = JSON.stringify({ 'a.b': 'x'.repeat(30_000) });
    const sha256 = createHash('sha256').update(text).digest('hex');
    const slices = [text.slice(0, 15_000), text.slice(15_000)];
    const client = await box(sn, (req, c) => reply(sn, c, { id: req.id, ok: true, part: 0, parts: 2, sha256, data: slices[0] }));
    const { json } = await command(sn, { name: 'params.get', timeoutMs: 800 });
    expect(json).toMatchObject({ status: 'failed', error: { code: 'incomplete-result', message: expect.stringContaining('parts 1 of 2') } });
    expect(json.result).toBeUndefined();
    await client.endAsync();
  });

  it('fails a chunked result whose digest does not match, never answering the corrupt text', async () => {
    const sn = 'MTB26CMD00002';
    const text = JSON.stringify({ 'a.b': 'y'.repeat(30_000) });
    const slices = [text.slice(0, 15_000), text.slice(15_000)];
    const wrong = createHash('sha256').update(`${text} `).digest('hex');
    const client = await box(sn, async (req, c) => {
      for (const part of [0, 1]) await reply(sn, c, { id: req.id, ok: true, part, parts: 2, sha256: wrong, data: slices[part] });
    });
    const { json } = await command(sn, { name: 'params.get' });
    expect(json).toMatchObject({ status: 'failed', error: { code: 'digest-mismatch' } });
    expect(json.result).toBeUndefined();
    await client.endAsync();
  });

  it('times out when the box stays silent, and ignores its late answer', async () => {
    const sn = 'MTB26CMD00001';
    let late: (() => Promise<void>) | null = null;
    const client = await box(sn, (req, c) => {
      late = () => reply(sn, c, { id: req.id, ok: true, result: { uptime: 1, fw: 'x' } });
    });
    const { json } = await command(sn, { name: 'ping', timeoutMs: 600 });
    expect(json).toEqual({ id: expect.any(String), status: 'timed-out' });
    await waitFor(() => late, { what: 'the request to reach the box' });
    await late!();
    const stored = (await (await fetch(`${backend.api}/devices/${sn}/commands/${json.id as string}`, { headers })).json()) as { status: string };
    expect(stored.status).toBe('timed-out');
    await client.endAsync();
  });

  it('refuses at once with offline when the box is not connected', async () => {
    const { json } = await command('MTB26CMD00003', { name: 'ping' });
    expect(json).toEqual({ id: expect.any(String), status: 'offline' });
  });

  it('queues for an offline box on request and delivers when it reconnects', async () => {
    const sn = 'MTB26CMD00003';
    const { json } = await command(sn, { name: 'reboot', args: { delayS: 1 }, queue: true });
    expect(json).toEqual({ id: expect.any(String), status: 'queued' });
    const seen: string[] = [];
    const client = await box(sn, (req, c) => {
      seen.push(req.id);
      return reply(sn, c, { id: req.id, ok: true, result: { rebootingInS: 1 } });
    });
    await waitFor(
      async () => {
        const r = (await (await fetch(`${backend.api}/devices/${sn}/commands/${json.id as string}`, { headers })).json()) as { status: string };
        return r.status === 'succeeded';
      },
      { what: 'the queued command to succeed' },
    );
    expect(seen).toEqual([json.id]);
    await client.endAsync();
  });

  it('backs up a queued parameter change when the box comes back, before changing anything', async () => {
    const sn = 'MTB26CMD00003';
    const { json } = await command(sn, { name: 'params.set', args: { changes: { 'plc.baud': 19200 } }, queue: true });
    expect(json.status).toBe('queued');
    const names: string[] = [];
    const client = await box(sn, (req, c) => {
      names.push(req.name);
      const result = req.name === 'params.get' ? { 'plc.baud': 9600 } : { applied: 1 };
      return reply(sn, c, { id: req.id, ok: true, result });
    });
    await waitFor(
      async () => {
        const r = (await (await fetch(`${backend.api}/devices/${sn}/commands/${json.id as string}`, { headers })).json()) as { status: string };
        return r.status === 'succeeded';
      },
      { what: 'the queued change to succeed' },
    );
    expect(names).toEqual(['params.get', 'params.set']);
    const backups = (await (await fetch(`${backend.api}/devices/${sn}/backups`, { headers })).json()) as Array<{ reason: string }>;
    expect(backups[0]).toMatchObject({ reason: 'before-params-set' });
    await client.endAsync();
  });

  it('refuses a command name outside the contract and an engineer without a session', async () => {
    expect((await command('MTB26CMD00001', { name: 'rm -rf' })).status).toBe(400);
    await fetch(`${backend.api}/users`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'eng1', password: 'engineer-password-1', role: 'engineer' }),
    });
    const login = (await (
      await fetch(`${backend.api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'eng1', password: 'engineer-password-1' }),
      })
    ).json()) as { token: string };
    const res = await fetch(`${backend.api}/devices/MTB26CMD00001/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ping' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'SESSION_REQUIRED' });
  });
});
