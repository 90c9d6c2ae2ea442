import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_BYTES, MAX_DATA_BYTES, WINDOW_FRAMES } from '../services/contract/tunnel-frames.ts';
import { topicFor } from '../services/contract/topics.ts';
import { listAudit } from '../services/platform/audit/index.ts';
import type { TimelineEntry } from '../services/remote-support/sessions/domain/timeline-entry.ts';
import { connectBox } from './helpers/backend.ts';
import { type Account, MONDAY_10_CST, type SessionFixture, startSessionFixture } from './helpers/session-fixture.ts';
import { call, connectStream, openTunnel, sessionWithBox, type TestTunnelBox, waitClosed } from './helpers/tunnel-kit.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The relay of a PLC tunnel over real sockets: the engineer's WebSocket on one side, a raw
 * MQTT client playing the box on the other, both decided frame by frame by the test.
 */

let f: SessionFixture;
let eng: Account;

beforeAll(async () => {
  f = await startSessionFixture(MONDAY_10_CST, { TUNNEL_IDLE_S: '300', TUNNEL_MAX_MIN: '120' });
  eng = await f.account('engineer');
});
afterAll(() => f.close());

type TunnelRow = { id: string; state: string; closeReason: string | null; bytesUp: number; bytesDown: number };

async function listed(sessionId: number, id: string): Promise<TunnelRow | undefined> {
  return (await call<TunnelRow[]>(f, 'GET', `/sessions/${sessionId}/tunnels`, eng.headers)).body.find((t) => t.id === id);
}

/** Sends `data` up as the box would: 16 KiB DATA frames, never more than the window above the backend's last ACK. */
async function sendUp(box: TestTunnelBox, id: string, data: Buffer): Promise<void> {
  const acked = () => Math.max(-1, ...box.of(id, 'ack').map((a) => (a.kind === 'ack' ? a.acked : -1)));
  const unacked: number[] = [];
  for (let at = 0; at < data.length; at += MAX_DATA_BYTES) {
    await waitFor(() => unacked.filter((s) => s > acked()).length < WINDOW_FRAMES, { what: 'room in the window' });
    const seq = box.nextSeqOf(id);
    unacked.push(seq);
    await box.send(id, { kind: 'data', data: data.subarray(at, at + MAX_DATA_BYTES) });
  }
}

describe('the stream', () => {
  it('relays bytes both ways exactly, and counts them', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    const down = randomBytes(300 * 1024 + 7);
    // Messages of uneven sizes, the largest over one DATA frame.
    for (let at = 0, n = 1; at < down.length; at += n * 9000, n = (n % 7) + 1) stream.ws.send(down.subarray(at, at + n * 9000));
    await waitFor(() => box.bytes(tunnel.id).length === down.length, { what: 'every byte at the box' });
    expect(box.bytes(tunnel.id).equals(down)).toBe(true);
    expect(box.of(tunnel.id, 'data').every((d) => d.kind === 'data' && d.data.length <= MAX_DATA_BYTES)).toBe(true);

    const up = randomBytes(200 * 1024 + 3);
    await sendUp(box, tunnel.id, up);
    await waitFor(() => stream.bytes().length === up.length, { what: 'every byte at the WebSocket' });
    expect(stream.bytes().equals(up)).toBe(true);
    expect(await listed(sessionId, tunnel.id)).toMatchObject({ state: 'open', bytesUp: up.length, bytesDown: down.length });
    await box.close();
  });

  it('sends at most 32 DATA frames to a box that does not acknowledge, and stops reading the WebSocket', { timeout: 60_000 }, async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    box.autoAck = false;
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    const chunk = randomBytes(64 * 1024);
    const messages = 128;
    for (let i = 0; i < messages; i++) stream.ws.send(chunk);
    // The backend stopped reading: the engineer's side cannot flush what it sent.
    await waitFor(() => box.of(tunnel.id, 'data').length === WINDOW_FRAMES && stream.ws.bufferedAmount > 1024 * 1024, {
      timeoutMs: 20_000,
      what: 'a full window at the box and the WebSocket backed up',
    });
    expect(box.of(tunnel.id, 'data')).toHaveLength(WINDOW_FRAMES);
    // Acknowledging the first 16 opens 16 places, and only 16.
    const sixteenth = box.of(tunnel.id, 'data')[15]!;
    await box.send(tunnel.id, { kind: 'ack', acked: sixteenth.seq });
    await waitFor(() => box.of(tunnel.id, 'data').length === WINDOW_FRAMES + 16, { what: '16 more DATA frames' });
    expect(stream.ws.bufferedAmount).toBeGreaterThan(0);
    expect(box.of(tunnel.id, 'data')).toHaveLength(WINDOW_FRAMES + 16);
    // From here the box keeps up: everything arrives, in order.
    box.autoAck = true;
    const last = box.of(tunnel.id, 'data').at(-1)!;
    await box.send(tunnel.id, { kind: 'ack', acked: last.seq });
    await waitFor(() => box.bytes(tunnel.id).length === messages * chunk.length, { timeoutMs: 40_000, what: 'all 8 MiB at the box' });
    expect(box.bytes(tunnel.id).equals(Buffer.concat(Array.from({ length: messages }, () => chunk)))).toBe(true);
    await box.close();
  });

  it('acknowledges the box’s DATA only once the WebSocket took it, and closes on a box that ignores the window', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    for (let i = 0; i < WINDOW_FRAMES; i++) await box.send(tunnel.id, { kind: 'data', data: Buffer.from([i]) });
    expect(box.of(tunnel.id, 'ack')).toEqual([]);
    const stream = await connectStream(tunnel.url, eng.headers);
    const lastData = box.nextSeqOf(tunnel.id) - 1;
    await waitFor(() => box.of(tunnel.id, 'ack').some((a) => a.kind === 'ack' && a.acked === lastData), { what: 'the ACK of all 32' });
    expect(stream.bytes()).toEqual(Buffer.from(Array.from({ length: WINDOW_FRAMES }, (_, i) => i)));
    await box.close();

    // A second tunnel with nobody reading: the 33rd unacknowledged frame is one too many.
    const other = await sessionWithBox(f, eng);
    const t2 = await openTunnel(f, other.sessionId, eng);
    for (let i = 0; i <= WINDOW_FRAMES; i++) await other.box.send(t2.id, { kind: 'data', data: Buffer.from([i]) });
    await waitFor(async () => (await listed(other.sessionId, t2.id))?.closeReason === 'window-exceeded', { what: 'window-exceeded' });
    await other.box.close();
  });

  it('a text message closes the WebSocket with 1003 and the tunnel with client-closed', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    stream.ws.send('hello');
    expect((await waitClosed(stream)).code).toBe(1003);
    await waitFor(() => box.of(tunnel.id, 'close').length === 1, { what: 'CLOSE at the box' });
    expect(box.of(tunnel.id, 'close')[0]).toMatchObject({ body: { reason: 'client-closed' } });
    await box.close();
  });
});

describe('closing', () => {
  it('a skipped sequence number closes with sequence, at the box and the WebSocket', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    await box.send(tunnel.id, { kind: 'data', data: Buffer.from('first') });
    // A redelivered frame (lower number) is dropped silently; a skipped one closes.
    await box.send(tunnel.id, { kind: 'data', data: Buffer.from('again') }, 1);
    await box.send(tunnel.id, { kind: 'data', data: Buffer.from('skipped') }, 3);
    expect(await waitClosed(stream)).toEqual({ code: 1000, reason: 'sequence' });
    expect(stream.bytes().toString()).toBe('first');
    await waitFor(() => box.of(tunnel.id, 'close').length === 1, { what: 'CLOSE at the box' });
    expect(box.of(tunnel.id, 'close')[0]).toMatchObject({ body: { reason: 'sequence' } });
    expect(await listed(sessionId, tunnel.id)).toMatchObject({ state: 'closed', closeReason: 'sequence' });
    await box.close();
  });

  it('the box going offline closes the tunnel and the WebSocket with box-offline', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    box.client.stream.destroy();
    expect(await waitClosed(stream)).toEqual({ code: 1000, reason: 'box-offline' });
    await waitFor(async () => (await listed(sessionId, tunnel.id))?.closeReason === 'box-offline', { what: 'listed as box-offline' });
    await box.close();
  });

  it('the box’s CLOSE closes the WebSocket with its reason', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    await box.send(tunnel.id, { kind: 'close', body: { reason: 'plc-reset' } });
    expect(await waitClosed(stream)).toEqual({ code: 1000, reason: 'box-closed: plc-reset' });
    await box.close();
  });

  it('closing the WebSocket closes the tunnel: CLOSE client-closed to the box', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    stream.ws.close();
    await waitFor(() => box.of(tunnel.id, 'close').length === 1, { what: 'CLOSE at the box' });
    expect(box.of(tunnel.id, 'close')[0]).toMatchObject({ body: { reason: 'client-closed' } });
    await box.close();
  });

  it('closes an idle tunnel after TUNNEL_IDLE_S, and any tunnel at TUNNEL_MAX_MIN', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    f.setNow(f.now() + 300_000);
    expect(await waitClosed(stream)).toEqual({ code: 1000, reason: 'idle' });
    await waitFor(() => box.of(tunnel.id, 'close').length === 1, { what: 'CLOSE idle at the box' });

    const busy = await openTunnel(f, sessionId, eng);
    const busyStream = await connectStream(busy.url, eng.headers);
    // Data every 4 minutes keeps it from idling; two hours after it opened it closes anyway.
    for (let i = 0; i < 30; i++) {
      f.setNow(f.now() + 240_000);
      busyStream.ws.send(Buffer.from([i]));
      await waitFor(() => box.of(busy.id, 'data').length === i + 1 || busyStream.closed, { what: `DATA ${i}` });
      if (busyStream.closed) break;
    }
    expect(await waitClosed(busyStream)).toEqual({ code: 1000, reason: 'max-duration' });
    await box.close();
  });
});

describe('a hostile box', () => {
  it('cannot publish on another box’s tun/up, nor subscribe to its tun/down', async () => {
    const a = await f.register();
    const b = await f.register();
    const client = await connectBox(f.backend.mqttUrl, a.serial, a.secret);
    // mqtt.js turns a SUBACK failure code into an error carrying the packet.
    const granted = await client.subscribeAsync(topicFor(b.serial, 'tun/down'), { qos: 1 }).then(
      (g) => g[0]?.qos,
      (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0],
    );
    expect(granted).toBe(128);
    expect(client.connected).toBe(true);
    const own = await client.subscribeAsync(topicFor(a.serial, 'tun/down'), { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    client.publish(topicFor(b.serial, 'tun/up'), Buffer.alloc(HEADER_BYTES), { qos: 1 });
    await waitFor(() => !client.connected, { what: 'the impersonating box to be disconnected' });
    client.end(true);
    // Nor publish on its own tun/down, the cloud's channel.
    const again = await connectBox(f.backend.mqttUrl, a.serial, a.secret);
    again.publish(topicFor(a.serial, 'tun/down'), Buffer.alloc(HEADER_BYTES), { qos: 1 });
    await waitFor(() => !again.connected, { what: 'a box publishing on tun/down to be disconnected' });
    again.end(true);
  });

  it('sends garbage on its tun/up: dropped and counted, the backend carries on; a malformed frame of an open tunnel closes it', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const stats = () => f.backend.app.broker.stats().tunnelFrames;
    const unknown = () => f.backend.app.tunnels.stats().unknownFrames;
    const before = { ...stats(), unknown: unknown() };
    const garbage = [
      Buffer.alloc(0),
      Buffer.from('{"json":true}'),
      randomBytes(HEADER_BYTES),
      randomBytes(500),
      Buffer.alloc(HEADER_BYTES + MAX_DATA_BYTES + 1, 4),
    ];
    for (const g of garbage) await box.publishRaw(g);
    expect(box.client.connected).toBe(true);
    expect(stats().oversized).toBe(before.oversized + 1);
    expect(unknown()).toBe(before.unknown + 4);
    expect((await call(f, 'GET', '/health', {})).status).toBe(200);

    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    // A DATA frame with no body: this tunnel's id, so the tunnel it would corrupt closes.
    const empty = Buffer.alloc(HEADER_BYTES);
    empty[0] = 0x04;
    Buffer.from(tunnel.id, 'hex').copy(empty, 1);
    empty.writeUInt32BE(1, 17);
    await box.publishRaw(empty);
    expect(await waitClosed(stream)).toEqual({ code: 1000, reason: 'bad-frame' });
    await box.close();
  });
});

describe('the record', () => {
  it('timeline (a customer link sees it) and audit say who opened what, for how long, how many bytes', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const link = await f.api<{ token: string }>('POST', `/sessions/${sessionId}/links`, eng.headers, {});
    const customer = f.connect({ sessionLink: link.body.token });
    await customer.connected();
    expect(await customer.request('session.join', { sessionId })).toMatchObject({ ok: true });
    const openedAt = f.now();
    const tunnel = await openTunnel(f, sessionId, eng, { host: '192.168.1.10', port: 502 });
    const stream = await connectStream(tunnel.url, eng.headers);
    stream.ws.send(Buffer.alloc(12, 1));
    await waitFor(() => box.bytes(tunnel.id).length === 12, { what: 'request at the box' });
    await box.send(tunnel.id, { kind: 'data', data: Buffer.alloc(29, 2) });
    await waitFor(() => stream.bytes().length === 29, { what: 'answer at the WebSocket' });
    f.setNow(openedAt + 65_000);
    expect((await call(f, 'DELETE', `/sessions/${sessionId}/tunnels/${tunnel.id}`, eng.headers)).status).toBe(204);

    const tunnelEntries = () => customer.timeline.filter((e: TimelineEntry) => e.sessionId === sessionId && e.kind.startsWith('tunnel-'));
    await waitFor(() => tunnelEntries().length === 2, { what: 'both tunnel entries in the customer’s room' });
    const [opened, closed] = tunnelEntries();
    expect(opened).toMatchObject({
      kind: 'tunnel-opened',
      author: { kind: 'user', username: eng.username, role: 'engineer' },
      data: { tunnelId: tunnel.id, host: '192.168.1.10', port: 502, text: `Tunnel to 192.168.1.10:502 opened by ${eng.username}.` },
    });
    expect(closed).toMatchObject({
      kind: 'tunnel-closed',
      author: { kind: 'user', username: eng.username },
      data: { tunnelId: tunnel.id, reason: 'closed-by-user', durationMs: 65_000, bytesUp: 29, bytesDown: 12 },
    });
    expect(closed?.kind === 'tunnel-closed' && closed.data.text).toBe(
      'Tunnel to 192.168.1.10:502 closed (closed-by-user) after 1 min 5 s: 12 bytes to the box, 29 bytes from it.',
    );

    const device = await f.backend.app.registry.findBySerial(box.serial);
    const audit = (await listAudit(f.backend.app.db, 'device', device!.id)).filter((a) => a.action.startsWith('tunnel-'));
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'tunnel-opened',
        actor: eng.username,
        reason: 'tunnel to 192.168.1.10:502',
        data: expect.objectContaining({ tunnelId: tunnel.id, sessionId }),
      }),
      expect.objectContaining({
        action: 'tunnel-closed',
        actor: eng.username,
        reason: 'closed-by-user',
        data: expect.objectContaining({ tunnelId: tunnel.id, durationMs: 65_000, bytesUp: 29, bytesDown: 12 }),
      }),
    ]);
    await box.close();
  });
});

describe('a backend restart', () => {
  it('closes every tunnel with backend-stopping (CLOSE to the box); the list still shows them; a row a crash left open is closed at start', async () => {
    const { sessionId, box } = await sessionWithBox(f, eng);
    const tunnel = await openTunnel(f, sessionId, eng);
    const stream = await connectStream(tunnel.url, eng.headers);
    const device = await f.backend.app.registry.findBySerial(box.serial);
    // What a crash would leave behind: a row still open that nobody closed.
    await f.backend.app.db
      .insertInto('tunnels')
      .values({
        id: 'f'.repeat(32),
        session_id: sessionId,
        device_id: device!.id,
        host: '10.0.0.9',
        port: 102,
        state: 'open',
        opened_by: eng.username,
        opened_at: f.now() - 1000,
        closed_at: null,
        close_reason: null,
      })
      .execute();
    await f.backend.restart();
    expect(stream.closed).toEqual({ code: 1000, reason: 'backend-stopping' });
    expect(box.of(tunnel.id, 'close')[0]).toMatchObject({ body: { reason: 'backend-stopping' } });
    const list = (await call<TunnelRow[]>(f, 'GET', `/sessions/${sessionId}/tunnels`, eng.headers)).body;
    expect(list.find((t) => t.id === tunnel.id)).toMatchObject({ state: 'closed', closeReason: 'backend-stopping' });
    expect(list.find((t) => t.id === 'f'.repeat(32))).toMatchObject({ state: 'closed', closeReason: 'backend-restarted' });
    await box.close();
  });
});
