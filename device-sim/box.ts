import { EventEmitter, once } from 'node:events';
import { connect, Store, type IConnackPacket, type MqttClient } from 'mqtt';
import { CHANNEL_QOS, CommandRequest, EventPayload, FaultPayload } from '../services/contract/payloads.ts';
import type { EvidenceType, FaultState, Severity, StatusPayload, TelemetryPayload } from '../services/contract/payloads.ts';
import { DEVICE_CHANNELS, commandRequestFilter, topicFor, type DeviceChannel } from '../services/contract/topics.ts';
import { systemClock } from '../services/clock.ts';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffPolicy } from './backoff.ts';
import { answerCommand } from './box-commands.ts';
import { messageIdSource, newBootId } from './message-ids.ts';
import { createRandom, deriveSeed, type Random } from './prng.ts';
import { initialMetricsState, sampleMetrics, type MetricsState } from './telemetry-model.ts';
import { systemTimers, type Clock, type TimerHandle, type Timers } from './timers.ts';

export interface SimBoxOptions {
  serial: string;
  secret: string;
  /** `mqtt://host:port` */
  mqttUrl: string;
  model?: string;
  firmware?: string;
  keepaliveS?: number;
  connectTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Defaults to a stream seeded from the serial, so each box differs but runs repeat. */
  random?: Random;
  clock?: Clock;
  /** Used for the reconnect back-off only; mqtt.js keeps its own keep-alive timer. */
  timers?: Timers;
  utcOffsetHours?: number;
}

export interface BoxCounters {
  telemetry: number;
  faults: number;
  events: number;
  raw: number;
  commands: number;
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
  return { telemetry: 0, faults: 0, events: 0, raw: 0, commands: 0, connects: 0, reconnects: 0, connectErrors: 0, publishErrors: 0 };
}

export class SimBoxError extends Error {
  constructor(readonly code: 'BOX_NOT_STARTED' | 'BOX_ALREADY_STARTED', serial: string) {
    super(`${serial}: ${code}`);
  }
}

/** One simulated MT-BOX: a real mqtt.js client speaking the contract over TCP. */
export class SimBox {
  readonly serial: string;
  readonly counters: BoxCounters = emptyCounters();
  lastError: string | undefined;

  private readonly opts: Required<Omit<SimBoxOptions, 'random'>>;
  private readonly random: Random;
  private readonly signals = new EventEmitter();
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
    this.bootAt = now;
    this.seq = 0;
    this.metrics = initialMetricsState(this.random, now);
    this.currentBootId = newBootId(now, this.random);
    this.nextId = messageIdSource(this.serial, this.currentBootId);
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
    if (!client) return;
    const wasOnline = this.currentState === 'online';
    this.currentState = 'stopped';
    if (this.backoffTimer !== undefined) this.opts.timers.clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
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
    this.plcLinkUp = up;
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
    return payload.id;
  }

  /** Publishes an evidence event (QoS 1; queued while offline) and returns its message id. */
  recordEvent(type: EvidenceType, details?: Record<string, unknown>): string {
    const client = this.requireClient();
    const payload = EventPayload.parse({ id: this.nextId(), ts: this.opts.clock(), type, ...(details ? { details } : {}) });
    this.send(client, 'event', payload);
    this.counters.events++;
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
    if (client !== this.client) return;
    this.currentState = 'online';
    this.attempt = 0;
    if (++this.counters.connects > 1) this.counters.reconnects++;
    // Without a stored session (first connect, broker restarted) the subscription is gone.
    if (!connack.sessionPresent) client.subscribe(commandRequestFilter(this.serial), { qos: 1 }, () => {});
    const online: StatusPayload = { state: 'online', fw: this.opts.firmware, model: this.opts.model, ts: this.opts.clock() };
    this.send(client, 'status', online, true);
    this.signals.emit('online');
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client || this.currentState === 'stopped' || this.backoffTimer !== undefined) return;
    this.currentState = 'backoff';
    const delay = reconnectDelay(++this.attempt, this.opts.backoff, this.random);
    this.backoffTimer = this.opts.timers.setTimeout(() => {
      this.backoffTimer = undefined;
      if (client !== this.client || this.currentState === 'stopped') return;
      this.currentState = 'connecting';
      client.reconnect(this.stores);
    }, delay);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const client = this.client;
    if (!client || topic !== commandRequestFilter(this.serial)) return;
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return; // Nothing to answer: a request without a readable id cannot be correlated.
    }
    const request = CommandRequest.safeParse(body);
    if (!request.success) return;
    this.counters.commands++;
    this.send(client, 'cmd/res', answerCommand(request.data, this.opts.clock()));
  }

  private send(client: MqttClient, channel: DeviceChannel, payload: unknown, retain = false): void {
    client.publish(topicFor(this.serial, channel), JSON.stringify(payload), { qos: CHANNEL_QOS[channel], retain }, (err) => {
      if (err) this.counters.publishErrors++;
    });
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new SimBoxError('BOX_NOT_STARTED', this.serial);
    return this.client;
  }
}
