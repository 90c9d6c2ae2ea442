import type { CoreMetric } from '../services/contract/payloads.ts';
import type { Random } from './prng.ts';

/**
 * Physical model behind a box's telemetry, as pure functions over plain state.
 * Units (the firmware's): supply_voltage V, board_temp °C, rssi dBm, cpu_load %,
 * mem_used % of RAM, plc_link 1 = up / 0 = down, uptime s since boot.
 */
export type CoreMetrics = Record<CoreMetric, number>;

export interface MetricsState {
  /** Slow deviation of the 24 V supply from nominal (ageing PSU, load on the rail). */
  voltageDrift: number;
  rssi: number;
  cpuLoad: number;
  /** Memory used right after boot; grows slowly with uptime. */
  memBase: number;
  lastAt: number;
}

export interface SampleInput {
  now: number;
  bootAt: number;
  plcLinkUp: boolean;
  /** Boxes sit in cabinets that follow the local day, not UTC. */
  utcOffsetHours: number;
}

/** The MT-BOX's 24 V DC supply rail. */
export const NOMINAL_VOLTAGE = 24;
const RSSI_MIN = -100;
const RSSI_MAX = -60;

export function initialMetricsState(random: Random, now: number): MetricsState {
  return {
    voltageDrift: random.normal(0, 0.3),
    rssi: random.float(-90, -65),
    cpuLoad: random.float(8, 25),
    memBase: random.float(30, 45),
    lastAt: now,
  };
}

/** Advances the model to `input.now` and returns the metrics a box would report then. */
export function sampleMetrics(state: MetricsState, input: SampleInput, random: Random): { state: MetricsState; metrics: CoreMetrics } {
  // Seconds since the previous sample, bounded so a long pause does not explode the walks.
  const dt = Math.min(Math.max((input.now - state.lastAt) / 1000, 0), 3600);
  const next: MetricsState = {
    voltageDrift: clamp(state.voltageDrift - state.voltageDrift * Math.min(1, dt / 600) + random.normal(0, 0.02 * Math.sqrt(dt)), -1.2, 1.2),
    rssi: reflect(state.rssi + random.normal(0, 1.2 * Math.sqrt(Math.min(dt, 60))), RSSI_MIN, RSSI_MAX),
    cpuLoad: clamp(state.cpuLoad + (18 - state.cpuLoad) * Math.min(1, dt / 30) + random.normal(0, 4) + (random.chance(0.02) ? 40 : 0), 1, 100),
    memBase: state.memBase,
    lastAt: input.now,
  };
  const uptimeS = Math.max(0, Math.floor((input.now - input.bootAt) / 1000));
  const metrics: CoreMetrics = {
    supply_voltage: round(NOMINAL_VOLTAGE + next.voltageDrift + random.normal(0, 0.03), 2),
    board_temp: round(dailyAmbient(input.now, input.utcOffsetHours) + next.cpuLoad * 0.08 + random.normal(0, 0.25), 1),
    rssi: Math.round(next.rssi),
    cpu_load: round(next.cpuLoad, 1),
    // Slow growth (caches, logs in tmpfs) of about 0.5 % a day, as seen on long-running boxes.
    mem_used: round(clamp(next.memBase + Math.min(20, (uptimeS / 86_400) * 0.5) + random.normal(0, 0.4), 0, 100), 1),
    plc_link: input.plcLinkUp ? 1 : 0,
    uptime: uptimeS,
  };
  return { state: next, metrics };
}

/** Cabinet air temperature: coolest around 03:00, warmest around 15:00 local time. */
export function dailyAmbient(now: number, utcOffsetHours: number): number {
  const hour = (((now / 3_600_000 + utcOffsetHours) % 24) + 24) % 24;
  return 32 + 7 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Keeps a random walk inside [min, max] by mirroring at the edges, so it does not stick there. */
function reflect(value: number, min: number, max: number): number {
  if (value > max) return clamp(2 * max - value, min, max);
  if (value < min) return clamp(2 * min - value, min, max);
  return value;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
