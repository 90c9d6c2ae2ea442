import { connect, type Socket } from 'node:net';
import { MAX_DATA_BYTES, encodeFrame, tunnelIdText, type TunnelFrame } from '../../services/contract/tunnel-frames.ts';
import type { TimerHandle, Timers } from '../timers.ts';
import { Acknowledger, InboundSequence, SendWindow } from './tunnel-flow.ts';

/** A real TCP endpoint that stands for an address on the box's LAN. */
export interface LanEndpoint {
  host: string;
  port: number;
}

export interface BoxTunnelLink {
  /** Publishes one encoded frame on the box's tun/up (QoS 1). */
  publish(frame: Buffer): void;
  log(level: 'info' | 'warn', message: string): void;
  timers: Timers;
  /** Called once, when the tunnel is over (refused, closed by either side, dropped). */
  ended(tunnel: BoxTunnel, reason: string): void;
}

export interface BoxTunnelStats {
  bytesUp: number;
  bytesDown: number;
  /** The most DATA frames this box had unacknowledged at once. */
  maxInFlight: number;
  /** The most bytes waiting in the PLC socket's write buffer at once. */
  maxPlcBuffered: number;
}

type Phase = 'connecting' | 'open' | 'closed';
/** Frame kinds the box sends, without the fields it fills in. */
type UpFrame =
  | { kind: 'opened' }
  | { kind: 'refused'; body: { code: string; message: string } }
  | { kind: 'ack'; acked: number }
  | { kind: 'close'; body: { reason: string } };

/**
 * One tunnel on the box: a TCP connection to a LAN endpoint, relayed as DATA frames with the
 * contract's sequencing and flow control (services/contract/tunnel-frames.ts).
 */
export class BoxTunnel {
  readonly stats: BoxTunnelStats = { bytesUp: 0, bytesDown: 0, maxInFlight: 0, maxPlcBuffered: 0 };
  private phase: Phase = 'connecting';
  // OPEN was number 0 down; the next frame from the cloud is 1.
  private readonly inbound = new InboundSequence(1);
  private readonly window = new SendWindow();
  private readonly acks = new Acknowledger();
  // Stream bytes read from the PLC that wait for room in the window; the socket is paused meanwhile.
  private pending: Buffer[] = [];
  private plcEnded = false;
  private socket: Socket | undefined;
  private idleTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private ackScheduled = false;
  private drainHooked = false;

  constructor(
    readonly id: Buffer,
    readonly target: string,
    private readonly idleMs: number,
    private readonly link: BoxTunnelLink,
  ) {}

  get name(): string {
    return `tunnel ${tunnelIdText(this.id).slice(0, 8)} to ${this.target}`;
  }

  get isOpen(): boolean {
    return this.phase === 'open';
  }

  /** Connects to the endpoint; OPENED when it answers, REFUSED `unreachable` when it does not within `timeoutMs`. */
  connect(endpoint: LanEndpoint, timeoutMs: number): void {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    this.socket = socket;
    socket.setNoDelay(true);
    const unreachable = (why: string) => {
      if (this.phase !== 'connecting') return;
      socket.destroy();
      this.refuse('unreachable', `nothing answers at ${this.target} on the box's LAN (${why})`);
    };
    this.connectTimer = this.link.timers.setTimeout(() => unreachable(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    socket.once('connect', () => {
      this.link.timers.clearTimeout(this.connectTimer);
      if (this.phase !== 'connecting') return void socket.destroy();
      this.phase = 'open';
      this.send({ kind: 'opened' });
      this.touch();
      this.link.log('info', `${this.name} opened`);
    });
    socket.on('error', (err) => {
      if (this.phase === 'connecting') {
        this.link.timers.clearTimeout(this.connectTimer);
        unreachable((err as NodeJS.ErrnoException).code ?? err.message);
      } else this.finish(`plc-error: ${(err as NodeJS.ErrnoException).code ?? err.message}`, { send: true });
    });
    socket.on('data', (chunk: Buffer) => this.fromPlc(chunk));
    socket.on('end', () => {
      this.plcEnded = true;
      this.flush();
    });
    socket.on('close', () => {
      if (this.phase === 'open' && !this.plcEnded) this.finish('plc-closed', { send: true });
    });
  }

  /** Refuses the tunnel (REFUSED is the box's frame number 0) and ends it. */
  refuse(code: string, message: string): void {
    this.send({ kind: 'refused', body: { code, message } });
    this.link.log('warn', `${this.name} refused: ${code}: ${message}`);
    this.end(`refused: ${code}`);
  }

  /** One frame for this tunnel from the cloud (OPEN, number 0, was handled by the endpoint). */
  receive(frame: TunnelFrame): void {
    if (this.phase === 'closed') return;
    const arrival = this.inbound.arrive(frame.seq);
    if (arrival === 'duplicate') return;
    if (arrival === 'skipped') {
      this.finish('sequence', { send: true });
      return;
    }
    if (frame.kind === 'data') this.toPlc(frame.seq, frame.data);
    else if (frame.kind === 'ack') {
      this.window.ack(frame.acked);
      this.flush();
    } else if (frame.kind === 'close') {
      this.link.log('info', `${this.name} closed by the cloud: ${frame.body.reason}`);
      this.finish(`cloud: ${frame.body.reason}`, { send: false, flushPlc: true });
    } else {
      // OPEN again, OPENED or REFUSED: frames the cloud never sends on an existing tunnel.
      this.finish('protocol', { send: true });
    }
  }

  /**
   * Ends the tunnel. `send`: tell the cloud with CLOSE {reason}. `flushPlc`: let the PLC socket
   * write what it was given before its FIN (a CLOSE from the cloud follows its last DATA).
   */
  finish(reason: string, { send, flushPlc = false }: { send: boolean; flushPlc?: boolean }): void {
    if (this.phase === 'closed') return;
    if (send) this.send({ kind: 'close', body: { reason } });
    const socket = this.socket;
    if (socket && flushPlc && this.phase === 'open') {
      socket.end();
      // A PLC that never reads must not keep the socket forever.
      const timer = setTimeout(() => socket.destroy(), 5_000);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    } else socket?.destroy();
    if (this.phase === 'open') this.link.log('info', `${this.name} closed: ${reason}`);
    this.end(reason);
  }

  private end(reason: string): void {
    this.phase = 'closed';
    this.pending = [];
    this.link.timers.clearTimeout(this.connectTimer);
    this.link.timers.clearTimeout(this.idleTimer);
    this.link.ended(this, reason);
  }

  private toPlc(seq: number, data: Buffer): void {
    const socket = this.socket;
    if (!socket || !socket.writable) return; // the PLC already hung up; its CLOSE is on the way
    this.stats.bytesDown += data.length;
    this.touch();
    const accepted = socket.write(data);
    this.stats.maxPlcBuffered = Math.max(this.stats.maxPlcBuffered, socket.writableLength);
    this.acks.taken(seq, accepted);
    if (!accepted && !this.drainHooked) {
      this.drainHooked = true;
      socket.once('drain', () => {
        this.drainHooked = false;
        this.acks.drained();
        this.scheduleAck();
      });
    }
    this.scheduleAck();
  }

  // DATA that arrives in one burst is acknowledged by one ACK.
  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      if (this.phase !== 'open') return;
      const acked = this.acks.due();
      if (acked !== undefined) this.send({ kind: 'ack', acked });
    });
  }

  private fromPlc(chunk: Buffer): void {
    if (this.phase !== 'open') return;
    this.touch();
    for (let at = 0; at < chunk.length; at += MAX_DATA_BYTES) this.pending.push(chunk.subarray(at, at + MAX_DATA_BYTES));
    this.flush();
  }

  /** Sends what the window allows; pauses the PLC socket while the rest waits. */
  private flush(): void {
    if (this.phase !== 'open') return;
    while (this.pending.length > 0 && !this.window.full) {
      const data = this.pending.shift() as Buffer;
      this.stats.bytesUp += data.length;
      this.publish({ kind: 'data', tunnelId: this.id, seq: this.window.data(), data });
    }
    this.stats.maxInFlight = this.window.maxInFlight;
    if (this.pending.length > 0) this.socket?.pause();
    else if (this.plcEnded) this.finish('plc-closed', { send: true });
    else this.socket?.resume();
  }

  private send(frame: UpFrame): void {
    this.publish({ ...frame, tunnelId: this.id, seq: this.window.control() } as TunnelFrame);
  }

  private publish(frame: TunnelFrame): void {
    this.link.publish(encodeFrame(frame));
  }

  private touch(): void {
    this.link.timers.clearTimeout(this.idleTimer);
    this.idleTimer = this.link.timers.setTimeout(() => this.finish('idle', { send: true }), this.idleMs);
  }
}
