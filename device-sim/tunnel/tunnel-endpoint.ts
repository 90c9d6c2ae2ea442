import { decodeFrame, tunnelIdText } from '../../services/contract/tunnel-frames.ts';
import type { Timers } from '../timers.ts';
import { BoxTunnel, type BoxTunnelStats, type LanEndpoint } from './box-tunnel.ts';

/** The address of the simulated PLC on every box's LAN. */
export const LAN_PLC_HOST = '192.168.1.10';
export const LAN_PLC_PORT = 502;
/** Port 502 (Modbus TCP) on the box's LAN PLC. */
export const DEFAULT_TUNNEL_ALLOW: readonly string[] = [`${LAN_PLC_HOST}:${LAN_PLC_PORT}`];
export const DEFAULT_MAX_TUNNELS = 2;
export const DEFAULT_TUNNEL_CONNECT_TIMEOUT_MS = 5_000;
// Closed tunnel ids remembered so a late QoS 1 redelivery of their OPEN does not open them again.
const CLOSED_MEMORY = 64;

export interface TunnelEndpointOptions {
  /** `host:port` entries the box may connect to; `*:port` allows a port on any LAN host. */
  allow: readonly string[];
  /** The box's LAN: `host:port` → the real (loopback) endpoint that stands for it. */
  lan: ReadonlyMap<string, LanEndpoint>;
  maxTunnels: number;
  connectTimeoutMs: number;
  timers: Timers;
  /** Publishes one frame on the box's tun/up, QoS 1. */
  publish(frame: Buffer): void;
  log(level: 'info' | 'warn', message: string): void;
}

export interface TunnelRecord {
  id: string;
  target: string;
  /** Why it ended; undefined while open. */
  closeReason: string | undefined;
  stats: BoxTunnelStats;
}

/** The box's end of the PLC tunnel: reads tun/down, opens TCP connections on its LAN, relays them. */
export class TunnelEndpoint {
  private readonly tunnels = new Map<string, BoxTunnel>();
  private readonly closed: string[] = [];
  private readonly records: TunnelRecord[] = [];

  constructor(private readonly options: TunnelEndpointOptions) {}

  /** Tunnels currently connecting or open. */
  get active(): number {
    return this.tunnels.size;
  }

  /** Every tunnel this endpoint handled, newest last, with its counters (a test hook). */
  history(): readonly TunnelRecord[] {
    return this.records;
  }

  /** Handles one tun/down payload. Malformed payloads are logged and dropped: there is no tunnel to answer on. */
  receive(payload: Buffer): void {
    const decoded = decodeFrame(payload);
    if (!decoded.ok) {
      this.options.log('warn', `tunnel frame dropped: ${decoded.reason}`);
      return;
    }
    const { frame } = decoded;
    const key = tunnelIdText(frame.tunnelId);
    const tunnel = this.tunnels.get(key);
    if (tunnel) tunnel.receive(frame);
    else if (this.closed.includes(key)) {
      // a redelivery or a straggler for a tunnel that is over
    } else if (frame.kind === 'open' && frame.seq === 0) this.open(key, frame.tunnelId, frame.body);
    else this.options.log('warn', `tunnel frame for unknown tunnel ${key.slice(0, 8)} dropped`);
  }

  /** The box is stopping: CLOSE {reason} on every tunnel, and their TCP connections closed. */
  closeAll(reason: string): void {
    for (const tunnel of [...this.tunnels.values()]) tunnel.finish(reason, { send: true });
  }

  /** The MQTT link is gone (power cut, reboot, network loss): connections are dropped without frames. */
  dropAll(reason: string): void {
    for (const tunnel of [...this.tunnels.values()]) tunnel.finish(reason, { send: false });
  }

  private open(key: string, id: Buffer, body: { host: string; port: number; idleS: number }): void {
    const target = `${body.host}:${body.port}`;
    const tunnel = new BoxTunnel(id, target, body.idleS * 1000, {
      publish: this.options.publish,
      log: this.options.log,
      timers: this.options.timers,
      ended: (t, reason) => this.ended(key, t, reason),
    });
    const record: TunnelRecord = { id: key, target, closeReason: undefined, stats: tunnel.stats };
    this.records.push(record);
    if (this.records.length > CLOSED_MEMORY) this.records.shift();
    this.tunnels.set(key, tunnel);
    const endpoint = this.options.lan.get(target);
    if (!this.allowed(body.host, body.port)) {
      tunnel.refuse('not-allowed', `${target} is not on this box's tunnel allow-list (${this.options.allow.join(', ') || 'empty'})`);
    } else if (this.tunnels.size > this.options.maxTunnels) {
      tunnel.refuse('busy', `this box already relays ${this.options.maxTunnels} tunnels, its maximum; close one first`);
    } else if (!endpoint) {
      tunnel.refuse('unreachable', `nothing answers at ${target} on the box's LAN (no such device)`);
    } else tunnel.connect(endpoint, this.options.connectTimeoutMs);
  }

  private allowed(host: string, port: number): boolean {
    return this.options.allow.some((entry) => entry === `${host}:${port}` || entry === `*:${port}`);
  }

  private ended(key: string, tunnel: BoxTunnel, reason: string): void {
    if (this.tunnels.get(key) !== tunnel) return;
    this.tunnels.delete(key);
    this.closed.push(key);
    if (this.closed.length > CLOSED_MEMORY) this.closed.shift();
    for (const record of this.records) if (record.id === key && record.closeReason === undefined) record.closeReason = reason;
  }
}
