import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { connectAsync, type MqttClient } from 'mqtt';
import { MAX_DATA_BYTES, decodeFrame, encodeFrame, tunnelIdText, type RefusedBody, type TunnelFrame } from '../../services/contract/tunnel-frames.ts';
import { InboundSequence, SendWindow } from '../tunnel/tunnel-flow.ts';
import { tunnelTopics } from '../tunnel/tunnel-topics.ts';

/**
 * The cloud's end of the tunnel over a raw mqtt.js client, for the simulator's tests: opens
 * tunnels on one box and keeps to the contract's sequencing and flow control. The backend's
 * own implementation (and the broker's ACL for tun topics) is tested on its own.
 */
export class TunnelCloud {
  private readonly tunnels = new Map<string, CloudTunnel>();

  private constructor(
    readonly client: MqttClient,
    readonly sn: string,
  ) {
    client.on('message', (topic, payload) => {
      if (topic !== tunnelTopics(sn).up) return;
      const decoded = decodeFrame(payload);
      if (!decoded.ok) throw new Error(`the box sent a malformed frame: ${decoded.reason}`);
      this.tunnels.get(tunnelIdText(decoded.frame.tunnelId))?.receive(decoded.frame);
    });
  }

  static async connect(url: string, sn: string): Promise<TunnelCloud> {
    const client = await connectAsync(url, {
      clientId: `cloud-${sn}-${randomBytes(4).toString('hex')}`,
      protocolVersion: 4,
      reconnectPeriod: 0,
      clean: true,
    });
    await client.subscribeAsync(tunnelTopics(sn).up, { qos: 1 });
    return new TunnelCloud(client, sn);
  }

  /** Sends OPEN and waits for OPENED or REFUSED. `ackDelayMs` > 0 makes this end a slow reader. */
  async open(host: string, port: number, { idleS = 60, ackDelayMs = 0 }: { idleS?: number; ackDelayMs?: number } = {}): Promise<CloudTunnel> {
    const tunnel = new CloudTunnel(randomBytes(16), this, ackDelayMs);
    this.tunnels.set(tunnelIdText(tunnel.id), tunnel);
    tunnel.send({ kind: 'open', body: { host, port, idleS } });
    await tunnel.answered;
    return tunnel;
  }

  /** Publishes a frame as it is (for frames a well-behaved cloud would not send). */
  publishFrame(frame: TunnelFrame): Promise<unknown> {
    return this.client.publishAsync(tunnelTopics(this.sn).down, encodeFrame(frame), { qos: 1 });
  }

  close(): Promise<void> {
    for (const tunnel of this.tunnels.values()) tunnel.stop();
    return this.client.endAsync(true);
  }
}

type DownFrame =
  | { kind: 'open'; body: { host: string; port: number; idleS: number } }
  | { kind: 'data'; data: Buffer }
  | { kind: 'ack'; acked: number }
  | { kind: 'close'; body: { reason: string } };

export class CloudTunnel {
  opened = false;
  refused: RefusedBody | undefined;
  /** The box's CLOSE reason, once it closed the tunnel. */
  closedBy: string | undefined;
  readonly received: Buffer[] = [];
  receivedBytes = 0;
  readonly answered: Promise<void>;
  private readonly inbound = new InboundSequence(0);
  private readonly window = new SendWindow();
  private readonly signals = new EventEmitter();
  private highestTaken = -1;
  private ackTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: Buffer,
    private readonly cloud: TunnelCloud,
    private readonly ackDelayMs: number,
  ) {
    this.answered = once(this.signals, 'answer', { signal: AbortSignal.timeout(10_000) }).then(() => {});
  }

  /** Sends a DATA frame whose number skips one (a lost frame, as the box sees it). */
  sendSkipping(data: Buffer): void {
    this.publish({ kind: 'data', tunnelId: this.id, seq: this.window.control() + 1, data });
  }

  receive(frame: TunnelFrame): void {
    const arrival = this.inbound.arrive(frame.seq);
    if (arrival === 'duplicate') return;
    if (arrival === 'skipped') throw new Error(`the box skipped a sequence number (${frame.seq})`);
    if (frame.kind === 'opened') this.opened = true;
    else if (frame.kind === 'refused') this.refused = frame.body;
    else if (frame.kind === 'data') {
      this.received.push(frame.data);
      this.receivedBytes += frame.data.length;
      this.highestTaken = frame.seq;
      this.scheduleAck();
    } else if (frame.kind === 'ack') this.window.ack(frame.acked);
    else if (frame.kind === 'close') this.closedBy = frame.body.reason;
    this.signals.emit(frame.kind === 'opened' || frame.kind === 'refused' ? 'answer' : 'frame');
  }

  /** Sends `data` in DATA frames, never more than the window unacknowledged. */
  async write(data: Buffer): Promise<void> {
    for (let at = 0; at < data.length; at += MAX_DATA_BYTES) {
      while (this.window.full) await once(this.signals, 'frame', { signal: AbortSignal.timeout(10_000) });
      if (this.closedBy !== undefined) throw new Error(`the box closed the tunnel: ${this.closedBy}`);
      this.sendData(data.subarray(at, at + MAX_DATA_BYTES));
    }
  }

  /** Resolves once `bytes` have arrived in all (or rejects after `timeoutMs`). */
  async readBytes(bytes: number, timeoutMs = 20_000): Promise<Buffer> {
    const signal = AbortSignal.timeout(timeoutMs);
    while (this.receivedBytes < bytes) {
      if (this.closedBy !== undefined) throw new Error(`closed (${this.closedBy}) after ${this.receivedBytes} of ${bytes} bytes`);
      await once(this.signals, 'frame', { signal });
    }
    return Buffer.concat(this.received);
  }

  /** Resolves with the box's CLOSE reason. */
  async waitClosed(timeoutMs = 10_000): Promise<string> {
    const signal = AbortSignal.timeout(timeoutMs);
    while (this.closedBy === undefined) await once(this.signals, 'frame', { signal });
    return this.closedBy;
  }

  close(reason = 'client-closed'): void {
    this.send({ kind: 'close', body: { reason } });
  }

  /** The most DATA frames this end had unacknowledged at once. */
  get maxInFlight(): number {
    return this.window.maxInFlight;
  }

  send(frame: DownFrame): void {
    this.publish({ ...frame, tunnelId: this.id, seq: this.window.control() } as TunnelFrame);
  }

  /** The test is over: no more late ACKs. */
  stop(): void {
    clearTimeout(this.ackTimer);
  }

  private sendData(data: Buffer): void {
    this.publish({ kind: 'data', tunnelId: this.id, seq: this.window.data(), data });
  }

  // Publishes are in order; one still in flight when the test disconnects fails, which is fine.
  private publish(frame: TunnelFrame): void {
    this.cloud.publishFrame(frame).catch(() => {});
  }

  // A slow reader ACKs late: the box must stop sending once 32 frames are unacknowledged.
  private scheduleAck(): void {
    if (this.ackTimer) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      this.send({ kind: 'ack', acked: this.highestTaken });
    }, this.ackDelayMs);
  }
}
