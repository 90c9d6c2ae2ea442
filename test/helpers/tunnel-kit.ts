import type { MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, type TunnelFrame, tunnelIdFromText, tunnelIdText } from '../../services/contract/tunnel-frames.ts';
import { topicFor, tunnelDownFilter } from '../../services/contract/topics.ts';
import { connectBox } from './backend.ts';
import type { Account, SessionFixture } from './session-fixture.ts';
import { waitFor } from './wait-for.ts';

/*
 * The box's end of PLC tunnels, played by a raw mqtt.js client with the one codec
 * (contract/tunnel-frames.ts), so tests decide every frame the backend sees: when to answer
 * OPEN, when to acknowledge, what sequence number to put on a frame.
 */

/** A frame the test box received, decoded, with its tunnel id as text. */
export type Received = TunnelFrame & { id: string };

export type OpenAnswer = { opened: true } | { refused: { code: string; message: string } } | 'silent';

export class TestTunnelBox {
  readonly frames: Received[] = [];
  readonly undecodable: string[] = [];
  /** Automatic answers (OPENED, REFUSED, ACK) whose publish failed, e.g. because the test closed the box. */
  readonly replyFailures: string[] = [];
  /** The next sequence number this box sends, per tunnel. */
  private readonly nextSeq = new Map<string, number>();
  /** How the box answers OPEN. */
  answer: OpenAnswer = { opened: true };
  /** Acknowledge every DATA frame as it arrives (a keen box with a fast PLC). */
  autoAck = true;

  private constructor(
    readonly serial: string,
    readonly client: MqttClient,
  ) {
    client.on('message', (_topic, payload) => this.onMessage(Buffer.from(payload)));
  }

  static async connect(mqttUrl: string, box: { serial: string; secret: string }): Promise<TestTunnelBox> {
    const client = await connectBox(mqttUrl, box.serial, box.secret);
    const tb = new TestTunnelBox(box.serial, client);
    await client.subscribeAsync(tunnelDownFilter(box.serial), { qos: 1 });
    return tb;
  }

  private onMessage(payload: Buffer) {
    const decoded = decodeFrame(payload);
    if (!decoded.ok) {
      this.undecodable.push(decoded.reason);
      return;
    }
    const frame: Received = { ...decoded.frame, id: tunnelIdText(decoded.frame.tunnelId) };
    this.frames.push(frame);
    if (frame.kind === 'open') {
      if (this.answer === 'silent') return;
      if ('opened' in this.answer) this.reply(frame.id, { kind: 'opened' });
      else this.reply(frame.id, { kind: 'refused', body: this.answer.refused });
    } else if (frame.kind === 'data' && this.autoAck) {
      this.reply(frame.id, { kind: 'ack', acked: frame.seq });
    }
  }

  /**
   * An automatic answer, sent from the message handler where nobody awaits it. A test that
   * closes the box while an answer is in flight sees it fail with "Connection closed"; that
   * is kept here (a test that needed the answer fails on what it waits for), not thrown.
   */
  private reply(id: string, frame: DistributiveOmit<TunnelFrame, 'tunnelId' | 'seq'>): void {
    this.send(id, frame).catch((err: unknown) => this.replyFailures.push(String((err as Error)?.message ?? err)));
  }

  /** Sends a frame numbered in order, unless `seq` says otherwise (a test of sequencing). */
  send(id: string, frame: DistributiveOmit<TunnelFrame, 'tunnelId' | 'seq'>, seq?: number): Promise<void> {
    const next = this.nextSeq.get(id) ?? 0;
    const number = seq ?? next;
    this.nextSeq.set(id, Math.max(next, number + 1));
    const tunnelId = tunnelIdFromText(id) as Buffer;
    return this.publishRaw(encodeFrame({ ...frame, tunnelId, seq: number } as TunnelFrame));
  }

  /** The number the next frame this box sends on a tunnel carries. */
  nextSeqOf(id: string): number {
    return this.nextSeq.get(id) ?? 0;
  }

  publishRaw(payload: Buffer, topic = topicFor(this.serial, 'tun/up')): Promise<void> {
    return new Promise((resolve, reject) => this.client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  }

  of(id: string, kind?: TunnelFrame['kind']): Received[] {
    return this.frames.filter((f) => f.id === id && (kind === undefined || f.kind === kind));
  }

  /** The stream bytes the box received on a tunnel, in order. */
  bytes(id: string): Buffer {
    return Buffer.concat(this.of(id, 'data').map((f) => (f.kind === 'data' ? f.data : Buffer.alloc(0))));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** fetch against the API, 204 included (no body). */
export async function call<T = Record<string, unknown>>(
  f: SessionFixture,
  method: string,
  path: string,
  headers: Record<string, string>,
  json?: unknown,
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${f.backend.api}${path}`, {
    method,
    headers: { ...headers, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

export interface OpenedTunnel {
  id: string;
  state: 'open';
  host: string;
  port: number;
  url: string;
  openedBy: string;
  openedAt: number;
}

/** A session on a fresh box, active (support hours), opened by `engineer`, with the box's tunnel end online. */
export async function sessionWithBox(f: SessionFixture, engineer: Account): Promise<{ sessionId: number; box: TestTunnelBox }> {
  const registered = await f.register();
  const box = await TestTunnelBox.connect(f.backend.mqttUrl, registered);
  const res = await f.api<{ id: number; state: string }>('POST', '/sessions', engineer.headers, { serial: registered.serial });
  if (res.status !== 201 || res.body.state !== 'active') throw new Error(`open session: ${res.status} ${JSON.stringify(res.body)}`);
  return { sessionId: res.body.id, box };
}

export async function openTunnel(
  f: SessionFixture,
  sessionId: number,
  by: Account,
  target = { host: '192.168.1.10', port: 502 },
): Promise<OpenedTunnel> {
  const res = await call<OpenedTunnel>(f, 'POST', `/sessions/${sessionId}/tunnels`, by.headers, target);
  if (res.status !== 201) throw new Error(`open tunnel: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A WebSocket client of a tunnel's stream that records what it receives and how it closed. */
export interface StreamClient {
  ws: WebSocket;
  received: Buffer[];
  closed: { code: number; reason: string } | null;
  bytes(): Buffer;
}

export async function connectStream(url: string, headers: Record<string, string>): Promise<StreamClient> {
  const ws = new WebSocket(url, { headers, perMessageDeflate: false });
  const client: StreamClient = {
    ws,
    received: [],
    closed: null,
    bytes: () => Buffer.concat(client.received),
  };
  ws.on('message', (data) => client.received.push(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer)));
  ws.on('close', (code, reason) => {
    client.closed = { code, reason: reason.toString('utf8') };
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

/** The HTTP status a WebSocket upgrade was refused with. */
export function upgradeRefusal(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', (err) => reject(err));
  });
}

export async function waitClosed(client: StreamClient, what = 'the stream to close'): Promise<{ code: number; reason: string }> {
  return waitFor(() => client.closed, { what });
}
