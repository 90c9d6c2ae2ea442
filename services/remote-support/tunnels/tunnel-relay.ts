import type { WebSocket } from 'ws';
import { AppError } from '../../kernel/app-error.ts';
import type { Role } from '../../kernel/roles.ts';
import { encodeFrame, MAX_DATA_BYTES, type TunnelFrame, WINDOW_FRAMES } from '../../contract/tunnel-frames.ts';
import {
  ackDue,
  ackFromBox,
  ackSentFor,
  boxClosedReason,
  CLOSE_REASONS,
  closeTunnel,
  deliveredUpTo,
  openTunnel,
  receivedData,
  receiveSeq,
  requestTunnel,
  sentData,
  takeSendSeq,
  type Tunnel,
  windowRoom,
} from './domain/tunnel.ts';

export interface Actor {
  username: string;
  role: Role;
}

/** What a tunnel is about, fixed when it is requested. */
export interface TunnelInfo {
  id: Buffer;
  idText: string;
  sessionId: number;
  serial: string;
  deviceId: number;
  host: string;
  port: number;
  openedBy: Actor;
}

/** A frame the backend sends on an open tunnel, before it is numbered. */
type Unnumbered<F = Extract<TunnelFrame, { kind: 'data' | 'ack' | 'close' }>> = F extends TunnelFrame ? Omit<F, 'seq' | 'tunnelId'> : never;

export interface RelayDeps {
  now(): number;
  /** Publishes an encoded frame on the box's tun/down; never rejects. */
  publish(serial: string, frame: Buffer): Promise<void>;
  /** The box said OPENED; called before anything else can happen to the tunnel. */
  onOpened(relay: TunnelRelay): void;
  /** The tunnel closed (once); `by` is who closed it, null for the backend or the box. */
  onClosed(relay: TunnelRelay, by: Actor | null): void;
}

// Below this many bytes waiting in the WebSocket's buffers, the engineer's side is keeping up
// and the box's DATA may be acknowledged.
const WS_LOW_WATER_BYTES = 64 * 1024;
// RFC 6455: a close frame's reason is at most 123 bytes of UTF-8.
const MAX_CLOSE_REASON_BYTES = 123;

export function closeReasonText(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) return reason;
  // Cut on a character boundary: a partial UTF-8 sequence would make the close frame invalid.
  return new TextDecoder().decode(bytes.subarray(0, MAX_CLOSE_REASON_BYTES)).replace(/\uFFFD+$/, '');
}

/**
 * One live tunnel: the frames to and from the box (in order, numbered, windowed) and the
 * engineer's WebSocket. Flow control both ways: DATA to the box stops at WINDOW_FRAMES
 * unacknowledged frames and the WebSocket is paused meanwhile; the box's DATA is acknowledged
 * only once the WebSocket has taken it without back-pressure.
 */
export class TunnelRelay {
  state: Tunnel;
  /** Settles when the box answers OPEN: OPENED resolves, anything else rejects with an AppError. */
  readonly opened: Promise<void>;
  private ws: WebSocket | null = null;
  /** Set when a WebSocket upgrade took this tunnel, before the handshake completes. */
  private claimed = false;
  /** Chunks from the WebSocket waiting for room in the window. */
  private toBox: Buffer[] = [];
  /** DATA from the box waiting for a WebSocket. */
  private toWs: Array<{ seq: number; data: Buffer }> = [];
  /** Numbers of the box's DATA frames not yet covered by an ACK we sent. */
  private upUnacked: number[] = [];
  /** Publishing is serialized so the box receives the frames in the order they are numbered. */
  private chain: Promise<void> = Promise.resolve();
  private settleOpening: ((error: AppError | null) => void) | null = null;

  constructor(
    readonly info: TunnelInfo,
    private readonly deps: RelayDeps,
    idleS: number,
  ) {
    this.state = requestTunnel(deps.now());
    this.opened = new Promise<void>((resolve, reject) => {
      this.settleOpening = (error) => {
        this.settleOpening = null;
        if (error) reject(error);
        else resolve();
      };
    });
    // Without a listener an early rejection would be reported as unhandled; open() awaits it.
    this.opened.catch(() => {});
    this.publish({ kind: 'open', tunnelId: info.id, seq: 0, body: { host: info.host, port: info.port, idleS } });
  }

  get phase() {
    return this.state.phase;
  }

  /** Resolves once every frame handed to the broker so far has been published. */
  flushed(): Promise<void> {
    return this.chain;
  }

  hasClient(): boolean {
    return this.claimed;
  }

  /** Takes the tunnel for one WebSocket; false when another one has it or it closed. */
  claim(): boolean {
    if (this.claimed || this.state.phase !== 'open') return false;
    this.claimed = true;
    return true;
  }

  private publish(frame: TunnelFrame): void {
    const bytes = encodeFrame(frame);
    this.chain = this.chain.then(() => this.deps.publish(this.info.serial, bytes));
  }

  /** Sends a frame numbered by this tunnel. */
  private send(frame: Unnumbered): number {
    const taken = takeSendSeq(this.state);
    this.state = taken.tunnel;
    this.publish({ ...frame, tunnelId: this.info.id, seq: taken.seq } as TunnelFrame);
    return taken.seq;
  }

  /** A well-formed frame from the box for this tunnel. */
  onFrame(frame: TunnelFrame): void {
    if (this.state.phase === 'closed') return;
    const r = receiveSeq(this.state, frame.seq);
    if (r.verdict === 'duplicate') return;
    if (r.verdict === 'skipped') {
      this.close(CLOSE_REASONS.sequence, { notifyBox: true });
      return;
    }
    this.state = r.tunnel;
    if (this.state.phase === 'opening') this.onAnswer(frame);
    else if (frame.kind === 'data') this.onData(frame.seq, frame.data);
    else if (frame.kind === 'ack') this.onAck(frame.acked);
    else if (frame.kind === 'close') this.close(boxClosedReason(frame.body.reason), { notifyBox: false });
    // OPEN, OPENED or REFUSED on an open tunnel: not this protocol.
    else this.close(CLOSE_REASONS.badFrame, { notifyBox: true });
  }

  private onAck(acked: number): void {
    const r = ackFromBox(this.state, acked);
    if (!r.ok) {
      this.close(CLOSE_REASONS.badFrame, { notifyBox: true });
      return;
    }
    this.state = r.tunnel;
    this.pump();
  }

  private onAnswer(frame: TunnelFrame): void {
    const { host, port } = this.info;
    if (frame.kind === 'opened') {
      this.state = openTunnel(this.state, this.deps.now());
      this.deps.onOpened(this);
      this.settleOpening?.(null);
      return;
    }
    if (frame.kind === 'refused') {
      this.settleOpening?.(new AppError('TUNNEL_REFUSED', { code: frame.body.code, message: frame.body.message, host, port }));
      this.close(`refused: ${frame.body.code}`, { notifyBox: false });
    } else if (frame.kind === 'close') {
      this.settleOpening?.(new AppError('TUNNEL_REFUSED', { code: 'closed', message: frame.body.reason, host, port }));
      this.close(boxClosedReason(frame.body.reason), { notifyBox: false });
    } else {
      this.close(CLOSE_REASONS.badFrame, { notifyBox: true });
    }
  }

  private onData(seq: number, data: Buffer): void {
    this.state = receivedData(this.state, data.length, this.deps.now());
    this.upUnacked.push(seq);
    // A box that ignores the window would fill this process's memory: the contract closes it.
    if (this.upUnacked.length > WINDOW_FRAMES) {
      this.close(CLOSE_REASONS.windowExceeded, { notifyBox: true });
      return;
    }
    this.toWs.push({ seq, data });
    this.flushToWs();
  }

  private flushToWs(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== ws.OPEN) return;
    for (const { seq, data } of this.toWs) {
      ws.send(data, { binary: true }, (err) => {
        if (err || this.state.phase === 'closed') return;
        this.state = deliveredUpTo(this.state, seq);
        this.maybeAck();
      });
    }
    this.toWs = [];
  }

  private maybeAck(): void {
    if (!this.ws || this.ws.bufferedAmount > WS_LOW_WATER_BYTES) return;
    const acked = ackDue(this.state);
    if (acked === null) return;
    this.state = ackSentFor(this.state, acked);
    this.upUnacked = this.upUnacked.filter((seq) => seq > acked);
    this.send({ kind: 'ack', acked });
  }

  /** Sends what the window allows; pauses the WebSocket while the window is full. */
  private pump(): void {
    while (this.toBox.length > 0 && windowRoom(this.state) > 0 && this.state.phase === 'open') {
      const chunk = this.toBox.shift() as Buffer;
      const seq = this.send({ kind: 'data', data: chunk });
      this.state = sentData(this.state, seq, chunk.length, this.deps.now());
    }
    if (!this.ws) return;
    if (this.toBox.length > 0 || windowRoom(this.state) === 0) this.ws.pause();
    else this.ws.resume();
  }

  /** The engineer's WebSocket for this tunnel (one at a time; the caller checked hasClient). */
  attach(ws: WebSocket): void {
    if (this.state.phase === 'closed') {
      ws.close(1000, closeReasonText(this.state.closeReason ?? 'closed'));
      return;
    }
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      if (this.state.phase !== 'open') return;
      if (!isBinary) {
        ws.close(1003, 'binary messages only');
        return;
      }
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      for (let at = 0; at < bytes.length; at += MAX_DATA_BYTES) this.toBox.push(bytes.subarray(at, at + MAX_DATA_BYTES));
      this.pump();
    });
    ws.on('close', () => this.close(CLOSE_REASONS.clientClosed, { notifyBox: true }));
    ws.on('error', () => ws.terminate());
    this.flushToWs();
    this.pump();
  }

  /** Closes once: CLOSE to the box when it should hear it, the WebSocket with the reason. */
  close(reason: string, opts: { notifyBox: boolean; by?: Actor }): void {
    if (this.state.phase === 'closed') return;
    const wasOpening = this.state.phase === 'opening';
    if (opts.notifyBox) this.send({ kind: 'close', body: { reason } });
    this.state = closeTunnel(this.state, reason, this.deps.now());
    this.toBox = [];
    this.toWs = [];
    if (wasOpening) this.settleOpening?.(this.openingError(reason));
    const ws = this.ws;
    if (ws && (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING)) ws.close(1000, closeReasonText(reason));
    this.deps.onClosed(this, opts.by ?? null);
  }

  private openingError(reason: string): AppError {
    const { host, port } = this.info;
    if (reason === CLOSE_REASONS.boxOffline) return new AppError('TUNNEL_BOX_OFFLINE', { serial: this.info.serial });
    if (reason === 'open-timeout') return new AppError('TUNNEL_TIMEOUT', { host, port, waitedMs: this.deps.now() - this.state.requestedAt });
    if (reason === CLOSE_REASONS.sequence || reason === CLOSE_REASONS.badFrame) {
      return new AppError('TUNNEL_REFUSED', { code: reason, message: 'the box answered with a frame out of protocol', host, port });
    }
    return new AppError('TUNNEL_NOT_FOUND', { id: this.info.idText, reason });
  }
}
