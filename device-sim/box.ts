import { EventEmitter, once } from 'node:events';
import { connect, Store, type IConnackPacket, type MqttClient } from 'mqtt';
import { CHANNEL_QOS, EventPayload, FaultPayload } from '../services/contract/payloads.ts';
import type { EvidenceType, FaultState, ParamSet, Severity, StatusPayload, TelemetryPayload } from '../services/contract/payloads.ts';
import { DEVICE_CHANNELS, commandRequestFilter, topicFor, type DeviceChannel } from '../services/contract/topics.ts';
import { systemClock } from '../services/kernel/clock.ts';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffPolicy } from './backoff.ts';
import { CommandEndpoint } from './command-endpoint.ts';
import type { CommandFaults } from './command-faults.ts';
import type { BoxSnapshot } from './command-handlers.ts';
import { LOG_CAPACITY, LogRing } from './log-ring.ts';
import { messageIdSource, newBootId } from './message-ids.ts';
import { createRandom, deriveSeed, type Random } from './prng.ts';
import { factoryParams } from './params/default-params.ts';
import { ParamStore } from './params/param-store.ts';
import { NOMINAL_VOLTAGE, initialMetricsState, sampleMetrics, type CoreMetrics, type MetricsState } from './telemetry-model.ts';
import { systemTimers, type Clock, type TimerHandle, type Timers } from './timers.ts';
import { EchoServer } from './lan/echo-server.ts';
import { SimulatedPlc } from './lan/simulated-plc.ts';
import type { LanEndpoint } from './tunnel/box-tunnel.ts';
import {
  DEFAULT_MAX_TUNNELS,
  DEFAULT_TUNNEL_ALLOW,
  DEFAULT_TUNNEL_CONNECT_TIMEOUT_MS,
  LAN_PLC_HOST,
  LAN_PLC_PORT,
  TunnelEndpoint,
} from './tunnel/tunnel-endpoint.ts';
import { tunnelTopics } from './tunnel/tunnel-topics.ts';

/** What a box trusts and presents over MQTT over TLS (`mqtts://`); PEM. */
export interface BoxTls {
  /** CA (or self-signed certificate) the server certificate must chain to; default: the system's. */
  ca?: Buffer;
  /** Client certificate with CN = serial, and its key: the broker then needs no password. */
  cert?: Buffer;
  key?: Buffer;
}

export interface SimBoxOptions {
  serial: string;
  secret: string;
  /** `mqtt://host:port` or `mqtts://host:port` */
  mqttUrl: string;
  tls?: BoxTls;
  model?: string;
  firmware?: string;
  keepaliveS?: number;
  connectTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Defaults to a stream seeded from the serial, so each box differs but runs repeat. */
  random?: Random;
  clock?: Clock;
  /** Back-off, delayed answers and reboots; mqtt.js keeps its own keep-alive timer. */
  timers?: Timers;
  utcOffsetHours?: number;
  /** Command misbehaviour for tests; see `setCommandFaults`. */
  commandFaults?: CommandFaults;
  /** LAN endpoints the box opens tunnels to, `host:port` or `*:port`; default the PLC's Modbus port, `192.168.1.10:502`. */
  tunnelAllow?: readonly string[];
  /** The box's LAN: `host:port` → the real (loopback) endpoint standing for it. `startPlc()` and `startEcho()` add to it. */
  lan?: Readonly<Record<string, LanEndpoint>>;
  /** Tunnels open at once; one more is refused `busy`. Default 2. */
  maxTunnels?: number;
  /** How long the box waits for a LAN endpoint to accept a tunnel's connection. Default 5 s. */
  tunnelConnectTimeoutMs?: number;
}

export interface BoxCounters {
  telemetry: number;
  faults: number;
  events: number;
  raw: number;
  commands: number;
  reboots: number;
  connects: number;
  reconnects: number;
  connectErrors: number;
  publishErrors: number;
}

/** idle: never started; backoff: lost the broker and waiting to retry; stopped: stopped or killed. */
export type BoxState = 'idle' | 'connecting' | 'online' | 'backoff' | 'stopped';

export interface FaultInput {
  code: string;
  severity: Severity;
  /** `cleared` when the box saw the condition go away by itself. */
  state?: FaultState;
  message?: string;
  context?: Record<string, unknown>;
}

export function emptyCounters(): BoxCounters {
  return { telemetry: 0, faults: 0, events: 0, raw: 0, commands: 0, reboots: 0, connects: 0, reconnects: 0, connectErrors: 0, publishErrors: 0 };
}

export class SimBoxError extends Error {
  constructor(
    readonly code: 'BOX_NOT_STARTED' | 'BOX_ALREADY_STARTED' | 'PARAMS_REFUSED',
    serial: string,
    /** PARAMS_REFUSED: `{refused: {name: reason}}`. */
    readonly details?: Record<string, unknown>,
  ) {
    super(`${serial}: ${code}${details ? ` ${JSON.stringify(details)}` : ''}`);
  }
}

/** One simulated MT-BOX: a real mqtt.js client speaking the contract over TCP. */
export class SimBox {
  readonly serial: string;
  readonly counters: BoxCounters = emptyCounters();
  lastError: string | undefined;

  private readonly opts: Required<
    Omit<SimBoxOptions, 'random' | 'commandFaults' | 'tls' | 'tunnelAllow' | 'lan' | 'maxTunnels' | 'tunnelConnectTimeoutMs'>
  >;
  private readonly tls: BoxTls | undefined;
  private readonly random: Random;
  private readonly signals = new EventEmitter();
  // Parameters and log live in the box's flash: they survive reboots and reconnects.
  private readonly paramStore: ParamStore;
  private readonly log = new LogRing();
  private readonly commands: CommandEndpoint;
  private readonly flashBasePct: number;
  private readonly lan: Map<string, LanEndpoint>;
  private readonly tunnelEndpoint: TunnelEndpoint;
  // Servers standing for devices on the box's LAN; closed by stop().
  private readonly lanServers: Array<{ close(): Promise<void> }> = [];
  private lanPlc: SimulatedPlc | undefined;
  private lastSample: CoreMetrics | undefined;
  private client: MqttClient | undefined;
  private currentState: BoxState = 'idle';
  private attempt = 0;
  private backoffTimer: TimerHandle | undefined;
  private plcLinkUp = true;
  private bootAt = 0;
  private seq = 0;
  private metrics: MetricsState | undefined;
  private currentBootId: string | undefined;
  private nextId: () => string = () => ''; // set by start(); callers check requireClient() first
  // Our own stores, handed back on every reconnect: mqtt.js's reconnect() would otherwise
  // start empty ones and forget the QoS 1 faults that were not yet acknowledged.
  private stores = { incomingStore: new Store(), outgoingStore: new Store() };

  constructor(options: SimBoxOptions) {
    this.serial = options.serial;
    this.tls = options.tls;
    this.random = options.random ?? createRandom(deriveSeed(0, options.serial));
    this.opts = {
      model: 'MT-BOX-S1',
      firmware: '3.2.1',
      keepaliveS: 60,
      connectTimeoutMs: 30_000,
      backoff: DEFAULT_BACKOFF,
      clock: systemClock,
      timers: systemTimers,
      utcOffsetHours: 8,
      ...options,
    };
    this.paramStore = new ParamStore(factoryParams({ serial: this.serial, model: this.opts.model }));
    this.commands = new CommandEndpoint({
      params: this.paramStore,
      log: this.log,
      timers: this.opts.timers,
      publish: (message) => this.client && this.send(this.client, 'cmd/res', message),
      reboot: () => this.reboot(),
    });
    this.flashBasePct = 20 + (deriveSeed(0, `flash:${this.serial}`) % 30);
    this.commands.setFaults(options.commandFaults ?? {});
    this.lan = new Map(Object.entries(options.lan ?? {}));
    this.tunnelEndpoint = new TunnelEndpoint({
      allow: options.tunnelAllow ?? DEFAULT_TUNNEL_ALLOW,
      lan: this.lan,
      maxTunnels: options.maxTunnels ?? DEFAULT_MAX_TUNNELS,
      connectTimeoutMs: options.tunnelConnectTimeoutMs ?? DEFAULT_TUNNEL_CONNECT_TIMEOUT_MS,
      timers: this.opts.timers,
      publish: (frame) => this.publishTunnelFrame(frame),
      log: (level, message) => this.log.write(this.opts.clock(), level, 'tunnel', message),
    });
  }

  get state(): BoxState {
    return this.currentState;
  }

  /** Changes on every start(); part of each fault/event id. */
  get bootId(): string | undefined {
    return this.currentBootId;
  }

  /** Boots the box and starts connecting; reconnects with back-off until stopped. */
  start(): void {
    if (this.client) throw new SimBoxError('BOX_ALREADY_STARTED', this.serial);
    const now = this.opts.clock();
    // Draw order is part of a seed's replay: metrics first, then the boot id.
    this.metrics = initialMetricsState(this.random, now);
    this.boot(now);
    this.stores = { incomingStore: new Store(), outgoingStore: new Store() };
    this.currentState = 'connecting';
    const offline: StatusPayload = { state: 'offline' };
    const client = connect(this.opts.mqttUrl, {
      clientId: this.serial,
      username: this.serial,
      password: this.opts.secret,
      protocolVersion: 4,
      keepalive: this.opts.keepaliveS,
      // A persistent session: the broker keeps the cmd/req subscription and queues QoS 1
      // commands while the box is away, and both sides must resend unacknowledged QoS 1
      // PUBLISHes on reconnect [MQTT-4.4.0-1], so a fault is not lost to a network drop.
      clean: false,
      // 0 turns off mqtt.js's fixed-period retry; onClose() does back-off with jitter.
      reconnectPeriod: 0,
      connectTimeout: this.opts.connectTimeoutMs,
      // Live telemetry is worthless late; do not pile it up while offline.
      queueQoSZero: false,
      resubscribe: false,
      ...this.stores,
      will: { topic: topicFor(this.serial, 'status'), payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true },
      ...(this.tls ?? {}),
    });
    client.on('connect', (connack) => this.onConnect(client, connack));
    client.on('close', () => this.onClose(client));
    // Socket errors and CONNACK refusals; a 'close' follows, and onClose() schedules the retry.
    client.on('error', (err) => {
      this.counters.connectErrors++;
      this.lastError = err.message;
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.client = client;
  }

  /** Resolves when the box is (or next becomes) online; rejects after `timeoutMs`. */
  async waitOnline(timeoutMs = 10_000): Promise<void> {
    if (this.currentState === 'online') return;
    await once(this.signals, 'online', { signal: AbortSignal.timeout(timeoutMs) }).catch(() => {
      throw new Error(`${this.serial} not online within ${timeoutMs} ms (${this.currentState}; last error: ${this.lastError ?? 'none'})`);
    });
  }

  /**
   * graceful: publish a retained offline status, then DISCONNECT (the broker drops the will).
   * Not graceful: destroy the socket without DISCONNECT, as on a power cut; the broker then
   * publishes the will [MQTT-3.1.2-8].
   */
  async stop({ graceful = true }: { graceful?: boolean } = {}): Promise<void> {
    const client = this.client;
    if (!client) return this.closeLan();
    const wasOnline = this.currentState === 'online';
    // Tunnels end first: CLOSE frames go out before the offline status and DISCONNECT.
    if (graceful && wasOnline) this.tunnelEndpoint.closeAll('box-stopping');
    else this.tunnelEndpoint.dropAll('power-lost');
    this.currentState = 'stopped';
    if (this.backoffTimer !== undefined) this.opts.timers.clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    this.commands.cancelPending();
    this.log.write(this.opts.clock(), 'info', 'system', graceful ? 'shutting down' : 'power lost');
    this.client = undefined;
    if (graceful && wasOnline) {
      this.send(client, 'status', { state: 'offline', ts: this.opts.clock() } satisfies StatusPayload, true);
      // end() waits for outstanding QoS 1 acks; a broker that never answers must not hang us.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (client.stream.destroy(), resolve()), 5_000);
        client.end(false, () => (clearTimeout(timer), resolve()));
      });
    } else {
      await client.endAsync(true);
    }
    await this.closeLan();
  }

  /**
   * Starts the PLC on the box's LAN (a Modbus TCP server on a free loopback port, see
   * lan/simulated-plc.ts) at 192.168.1.10:502; its holding registers 0–7 follow the telemetry.
   * stop() closes it.
   */
  async startPlc(): Promise<SimulatedPlc> {
    if (this.lanPlc) return this.lanPlc;
    const plc = await SimulatedPlc.start(this.lastSample);
    this.lanPlc = plc;
    this.lanServers.push(plc);
    this.lan.set(`${LAN_PLC_HOST}:${LAN_PLC_PORT}`, plc.endpoint);
    return plc;
  }

  /** The PLC started by startPlc(), if any. */
  get plc(): SimulatedPlc | undefined {
    return this.lanPlc;
  }

  /** Starts a TCP echo device at `address` (`host:port`) on the box's LAN, for tests; stop() closes it. */
  async startEcho(address: string, options: { readDelayMs?: number } = {}): Promise<EchoServer> {
    const echo = await EchoServer.start(options);
    this.lanServers.push(echo);
    this.lan.set(address, echo.endpoint);
    return echo;
  }

  /** The box's tunnel end: open tunnels and the history of each with its counters (a test hook). */
  get tunnels(): TunnelEndpoint {
    return this.tunnelEndpoint;
  }

  /** Power cut: the socket dies without DISCONNECT and the box does not come back. */
  kill(): Promise<void> {
    return this.stop({ graceful: false });
  }

  /** Network loss: the socket dies without DISCONNECT; the box reconnects with back-off. */
  dropLink(): void {
    if (this.currentState === 'online') this.client?.stream.destroy();
  }

  setPlcLink(up: boolean): void {
    if (up !== this.plcLinkUp) this.log.write(this.opts.clock(), up ? 'info' : 'warn', 'plc', up ? 'link up' : 'link down: no answer from the PLC');
    this.plcLinkUp = up;
  }

  /**
   * Replaces every command fault knob (`{}` clears them); takes effect with the next request.
   * See `CommandFaults` in command-faults.ts for what each one does.
   */
  setCommandFaults(faults: CommandFaults): void {
    this.commands.setFaults(faults);
  }

  /** A copy of the parameters; secrets masked as `params.get` reports them unless `revealSecrets`. */
  params({ revealSecrets = false }: { revealSecrets?: boolean } = {}): ParamSet {
    return revealSecrets ? this.paramStore.values() : (this.paramStore.reported() ?? {});
  }

  /**
   * A technician changes parameters on site (the box's web page): checked like `params.set`,
   * all or nothing; throws PARAMS_REFUSED with `details.refused` and changes nothing.
   */
  setParams(changes: ParamSet): void {
    const refused = this.paramStore.check(changes);
    if (Object.keys(refused).length > 0) throw new SimBoxError('PARAMS_REFUSED', this.serial, { refused });
    const changed = this.paramStore.apply(changes);
    this.log.write(this.opts.clock(), 'info', 'params', `${changed.length} changed on site: ${changed.map((c) => c.name).join(', ')}`);
  }

  /** Back to factory parameters, as after a repair that replaced the flash. */
  resetParams(): void {
    this.paramStore.reset();
    this.log.write(this.opts.clock(), 'warn', 'params', 'reset to factory defaults');
  }

  /** The newest `lines` of the box's log, newest last (what `log.fetch` answers). */
  logTail(lines = 50): string[] {
    return this.log.tail(lines);
  }

  /** Publishes one telemetry sample; false (and nothing sent) while the box is not online. */
  publishTelemetry(): boolean {
    const client = this.client;
    if (!client || this.currentState !== 'online' || !this.metrics) return false;
    const now = this.opts.clock();
    const sample = sampleMetrics(
      this.metrics,
      { now, bootAt: this.bootAt, plcLinkUp: this.plcLinkUp, utcOffsetHours: this.opts.utcOffsetHours },
      this.random,
    );
    this.metrics = sample.state;
    this.lastSample = sample.metrics;
    this.lanPlc?.follow(sample.metrics);
    this.send(client, 'telemetry', { ts: now, seq: this.seq++, metrics: sample.metrics } satisfies TelemetryPayload);
    this.counters.telemetry++;
    return true;
  }

  /** Publishes a fault (QoS 1; queued while offline) and returns its message id. */
  raiseFault(fault: FaultInput): string {
    const client = this.requireClient();
    const payload = FaultPayload.parse({ id: this.nextId(), ts: this.opts.clock(), ...fault });
    this.send(client, 'fault', payload);
    this.counters.faults++;
    this.log.write(payload.ts, fault.state === 'cleared' ? 'info' : 'error', 'fault', `${fault.code} ${fault.state ?? 'raised'} (${fault.severity})`);
    return payload.id;
  }

  /** Publishes an evidence event (QoS 1; queued while offline) and returns its message id. */
  recordEvent(type: EvidenceType, details?: Record<string, unknown>): string {
    const client = this.requireClient();
    const payload = EventPayload.parse({ id: this.nextId(), ts: this.opts.clock(), type, ...(details ? { details } : {}) });
    this.send(client, 'event', payload);
    this.counters.events++;
    this.log.write(payload.ts, 'warn', 'event', `${type} recorded`);
    return payload.id;
  }

  /** Publishes bytes as they are, for bad-payload injection. `target` is a channel or a whole topic. */
  publishRaw(target: DeviceChannel | string, payload: Buffer | string, qos: 0 | 1 = 0): void {
    const client = this.requireClient();
    const topic = (DEVICE_CHANNELS as readonly string[]).includes(target) ? topicFor(this.serial, target as DeviceChannel) : target;
    client.publish(topic, payload, { qos }, (err) => {
      if (err) this.counters.publishErrors++;
    });
    this.counters.raw++;
  }

  private onConnect(client: MqttClient, connack: IConnackPacket): void {
    // As firmware should: small frames (command answers, tunnel ACKs) leave at once instead of
    // waiting on Nagle's algorithm behind the broker's delayed ACK (~40 ms each).
    (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    if (client !== this.client) return;
    this.currentState = 'online';
    this.attempt = 0;
    if (++this.counters.connects > 1) this.counters.reconnects++;
    this.log.write(this.opts.clock(), 'info', 'mqtt', `connected (${connack.sessionPresent ? 'session kept' : 'new session'})`);
    // Without a stored session (first connect, broker restarted) the subscription is gone.
    if (!connack.sessionPresent) client.subscribe([commandRequestFilter(this.serial), tunnelTopics(this.serial).down], { qos: 1 }, () => {});
    const online: StatusPayload = { state: 'online', fw: this.opts.firmware, model: this.opts.model, ts: this.opts.clock() };
    this.send(client, 'status', online, true);
    this.signals.emit('online');
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client || this.currentState === 'stopped' || this.backoffTimer !== undefined) return;
    this.currentState = 'backoff';
    // The cloud sees the box go offline and forgets its tunnels; so does the box.
    this.tunnelEndpoint.dropAll('link-lost');
    const delay = reconnectDelay(++this.attempt, this.opts.backoff, this.random);
    this.log.write(this.opts.clock(), 'warn', 'mqtt', `connection lost; retry in ${delay} ms`);
    this.backoffTimer = this.opts.timers.setTimeout(() => {
      this.backoffTimer = undefined;
      if (client !== this.client || this.currentState === 'stopped') return;
      this.currentState = 'connecting';
      client.reconnect(this.stores);
    }, delay);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (!this.client) return;
    if (topic === tunnelTopics(this.serial).down) {
      this.tunnelEndpoint.receive(payload);
      return;
    }
    if (topic !== commandRequestFilter(this.serial)) return;
    if (this.commands.receive(payload, this.snapshot(this.opts.clock())) !== undefined) this.counters.commands++;
  }

  /**
   * The firmware restarts: the link drops without DISCONNECT (the broker publishes the will)
   * and the box reconnects with back-off. Parameters, log and unacknowledged QoS 1 messages
   * are in flash and survive; uptime, telemetry seq and message ids start again.
   */
  private reboot(): void {
    if (this.currentState === 'idle' || this.currentState === 'stopped') return;
    const now = this.opts.clock();
    this.log.write(now, 'warn', 'system', 'rebooting');
    this.counters.reboots++;
    this.boot(now);
    if (this.currentState === 'online') this.client?.stream.destroy();
  }

  private boot(now: number): void {
    this.bootAt = now;
    this.seq = 0;
    this.currentBootId = newBootId(now, this.random);
    this.nextId = messageIdSource(this.serial, this.currentBootId);
    this.log.write(now, 'info', 'system', `boot: ${this.opts.model} firmware ${this.opts.firmware}`);
  }

  private snapshot(now: number): BoxSnapshot {
    const metrics = this.metrics;
    return {
      now,
      bootAt: this.bootAt,
      firmware: this.opts.firmware,
      plcLinkUp: this.plcLinkUp,
      rssi: Math.round(metrics?.rssi ?? -80),
      supplyVoltage: Math.round((NOMINAL_VOLTAGE + (metrics?.voltageDrift ?? 0)) * 100) / 100,
      // The log and the offline buffer grow into the flash.
      storageUsedPct: this.flashBasePct + Math.round((this.log.size / LOG_CAPACITY) * 5),
    };
  }

  private send(client: MqttClient, channel: DeviceChannel, payload: unknown, retain = false): void {
    client.publish(topicFor(this.serial, channel), JSON.stringify(payload), { qos: CHANNEL_QOS[channel], retain }, (err) => {
      if (err) this.counters.publishErrors++;
    });
  }

  private publishTunnelFrame(frame: Buffer): void {
    this.client?.publish(tunnelTopics(this.serial).up, frame, { qos: 1 }, (err) => {
      if (err) this.counters.publishErrors++;
    });
  }

  private async closeLan(): Promise<void> {
    const servers = this.lanServers.splice(0);
    this.lanPlc = undefined;
    await Promise.all(servers.map((s) => s.close()));
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new SimBoxError('BOX_NOT_STARTED', this.serial);
    return this.client;
  }
}
