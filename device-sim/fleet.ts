import { systemClock } from '../services/kernel/clock.ts';
import { SimBox, type BoxTls, type SimBoxOptions } from './box.ts';
import type { BoxCredentials } from './credentials-csv.ts';
import { DEMO_FIRMWARE, demoModelFor } from './demo-fleet.ts';
import { sumCounters, type FleetStats } from './fleet-stats.ts';
import { createRandom, type Random } from './prng.ts';
import type { Scenario, ScenarioContext } from './scenarios/scenario.ts';
import { dueTicks, planWheel, slotOf, type Wheel } from './telemetry-wheel.ts';
import { TimerGroup, systemTimers, type Clock, type Timers } from './timers.ts';

/** Per-box settings shared by the whole fleet. */
export type FleetBoxOptions = Partial<Pick<SimBoxOptions, 'keepaliveS' | 'connectTimeoutMs' | 'backoff' | 'timers' | 'utcOffsetHours' | 'firmware'>>;

/** TLS settings of one box (they differ when each box presents its own certificate). */
export type FleetTls = (serial: string) => BoxTls | undefined;

export interface FleetOptions {
  /** `mqtt://host:port` or `mqtts://host:port` */
  mqttUrl: string;
  tls?: FleetTls;
  credentials: readonly BoxCredentials[];
  /** Telemetry messages per box per second; 0 = none. Default 1. */
  rate?: number;
  /** Connects are spread evenly over this many ms. Default 4 ms per box (250 connects/s). */
  rampMs?: number;
  seed?: number;
  scenarios?: readonly Scenario[];
  statsEveryMs?: number;
  onStats?: (stats: FleetStats) => void;
  /** Where scenarios report what they did. */
  log?: (message: string) => void;
  box?: FleetBoxOptions;
  clock?: Clock;
  /** Drive the ramp, the telemetry wheel, the stats report and scenarios (not the boxes' own timers). */
  timers?: Timers;
}

const RAMP_STEP_MS = 10;

/** N simulated boxes in one process, published by one shared timer wheel. */
export class Fleet {
  readonly boxes: readonly SimBox[];
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly random: Random;
  private readonly group: TimerGroup;
  private readonly wheel: Wheel | undefined;
  private readonly buckets: SimBox[][];
  private startedAt = 0;
  private ticksDone = 0;
  private lastReport = { at: 0, telemetry: 0 };
  private started = false;
  private endRamp: (() => void) | undefined;

  constructor(private readonly options: FleetOptions) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.random = createRandom(options.seed ?? 1);
    this.group = new TimerGroup(this.timers);
    this.boxes = options.credentials.map((c, i) => {
      const tls = options.tls?.(c.serial);
      return new SimBox({
        serial: c.serial,
        secret: c.secret,
        mqttUrl: options.mqttUrl,
        ...(tls ? { tls } : {}),
        model: demoModelFor(c.serial),
        firmware: DEMO_FIRMWARE,
        ...options.box,
        random: this.random.fork(`box:${i}`),
        clock: this.clock,
      });
    });
    const rate = options.rate ?? 1;
    this.wheel = rate > 0 ? planWheel(rate) : undefined;
    const wheel = this.wheel;
    this.buckets = wheel ? Array.from({ length: wheel.slots }, () => []) : [];
    if (wheel) this.boxes.forEach((box, i) => this.buckets[slotOf(wheel, i)]?.push(box));
  }

  /** Starts the wheel, stats and scenarios, then boots the boxes over the ramp; resolves when all are booted. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.startedAt = this.clock();
    this.lastReport = { at: this.startedAt, telemetry: 0 };
    if (this.wheel) this.group.every(Math.max(1, Math.round(this.wheel.tickMs)), () => this.tick());
    if (this.options.onStats) {
      const onStats = this.options.onStats;
      this.group.every(this.options.statsEveryMs ?? 10_000, () => onStats(this.stats()));
    }
    const ctx = this.scenarioContext();
    for (const scenario of this.options.scenarios ?? []) scenario.start(ctx);
    // 250 connects/s: what one aedes on two cores acknowledges within seconds while it also
    // carries 5000 telemetry messages/s (measured); faster ramps end in CONNACK timeouts.
    await this.ramp(this.options.rampMs ?? this.boxes.length * 4);
  }

  /** Resolves when every box is online; rejects if one is not within `timeoutMs`. */
  async waitAllOnline(timeoutMs = 30_000): Promise<void> {
    await Promise.all(this.boxes.map((box) => box.waitOnline(timeoutMs)));
  }

  /** Cancels every fleet timer and stops all boxes; returns the final totals. */
  async stop({ graceful = true }: { graceful?: boolean } = {}): Promise<FleetStats> {
    this.group.cancelAll();
    this.endRamp?.();
    await Promise.all(this.boxes.map((box) => box.stop({ graceful })));
    return this.stats();
  }

  /** Totals now; telemetryPerS is measured since the previous call. */
  stats(): FleetStats {
    const now = this.clock();
    const totals = sumCounters(this.boxes);
    const seconds = (now - this.lastReport.at) / 1000;
    const telemetryPerS = seconds > 0 ? (totals.telemetry - this.lastReport.telemetry) / seconds : 0;
    this.lastReport = { at: now, telemetry: totals.telemetry };
    return {
      elapsedMs: now - this.startedAt,
      boxes: this.boxes.length,
      online: this.boxes.filter((b) => b.state === 'online').length,
      totals,
      telemetryPerS,
    };
  }

  private tick(): void {
    if (!this.wheel) return;
    const { from, to } = dueTicks(this.wheel, this.startedAt, this.ticksDone, this.clock());
    for (let k = from; k < to; k++) {
      for (const box of this.buckets[k % this.wheel.slots] ?? []) box.publishTelemetry();
    }
    this.ticksDone = to;
  }

  // 5000 boxes connecting in the same millisecond would all hit the broker's authentication
  // at once; a real fleet comes up over minutes. Every RAMP_STEP_MS the boxes due by the
  // clock boot, so a busy event loop delays the ramp by a step, not by a step per box.
  private ramp(rampMs: number): Promise<void> {
    const total = this.boxes.length;
    let booted = 0;
    return new Promise((resolve) => {
      this.endRamp = resolve;
      const step = (): void => {
        const elapsed = this.clock() - this.startedAt;
        const until = rampMs > 0 ? Math.min(total, Math.ceil((total * (elapsed + RAMP_STEP_MS)) / rampMs)) : total;
        for (; booted < until; booted++) this.boxes[booted]?.start();
        if (booted >= total) resolve();
        else this.group.after(RAMP_STEP_MS, step);
      };
      step();
    });
  }

  private scenarioContext(): ScenarioContext {
    const log = this.options.log ?? (() => {});
    const guard = (action: () => void) => () => {
      try {
        action();
      } catch (err) {
        log(`scenario action failed: ${(err as Error).message}`);
      }
    };
    return {
      boxes: this.boxes,
      random: this.random.fork('scenarios'),
      now: this.clock,
      running: () => this.boxes.filter((b) => b.state !== 'idle' && b.state !== 'stopped'),
      after: (ms, action) => this.group.after(ms, guard(action)),
      every: (ms, action) => this.group.every(ms, guard(action)),
      log,
    };
  }
}

/** For integration tests: boots boxes for the given credentials and waits until all are online. */
export async function startFleet(options: FleetOptions, onlineTimeoutMs = 30_000): Promise<Fleet> {
  const fleet = new Fleet({ rampMs: 0, ...options });
  await fleet.start();
  try {
    await fleet.waitAllOnline(onlineTimeoutMs);
  } catch (err) {
    await fleet.stop({ graceful: false });
    throw err;
  }
  return fleet;
}
