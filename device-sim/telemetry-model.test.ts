import { describe, expect, it } from 'vitest';
import { createRandom } from './prng.ts';
import { dailyAmbient, initialMetricsState, sampleMetrics, type CoreMetrics } from './telemetry-model.ts';

const START = Date.UTC(2026, 10, 2, 0, 0, 0);

function run(seed: number, samples: number, everyMs: number, plcLinkUp = true): CoreMetrics[] {
  const random = createRandom(seed);
  let state = initialMetricsState(random, START);
  const out: CoreMetrics[] = [];
  for (let i = 1; i <= samples; i++) {
    const next = sampleMetrics(state, { now: START + i * everyMs, bootAt: START, plcLinkUp, utcOffsetHours: 8 }, random);
    state = next.state;
    out.push(next.metrics);
  }
  return out;
}

describe('telemetry model', () => {
  it('gives the same series for the same seed and clock', () => {
    expect(run(9, 50, 1000)).toEqual(run(9, 50, 1000));
    expect(run(9, 50, 1000)).not.toEqual(run(10, 50, 1000));
  });

  it('keeps a day of samples inside the physical ranges of an MT-BOX', () => {
    for (const m of run(1, 24 * 60, 60_000)) {
      expect(m.supply_voltage).toBeGreaterThan(22.5);
      expect(m.supply_voltage).toBeLessThan(25.5);
      expect(m.rssi).toBeGreaterThanOrEqual(-100);
      expect(m.rssi).toBeLessThanOrEqual(-60);
      expect(m.cpu_load).toBeGreaterThanOrEqual(1);
      expect(m.cpu_load).toBeLessThanOrEqual(100);
      expect(m.mem_used).toBeGreaterThan(0);
      expect(m.mem_used).toBeLessThan(100);
      expect(m.board_temp).toBeGreaterThan(15);
      expect(m.board_temp).toBeLessThan(60);
    }
  });

  it('is warmer in the local afternoon than before dawn', () => {
    // UTC+8: 07:00 UTC is 15:00 local, 19:00 UTC is 03:00 local.
    expect(dailyAmbient(Date.UTC(2026, 10, 2, 7), 8)).toBeGreaterThan(dailyAmbient(Date.UTC(2026, 10, 2, 19), 8) + 10);
  });

  it('reports uptime in seconds since boot and plc_link 0 while the PLC link is down', () => {
    const series = run(3, 3, 10_000, false);
    expect(series.map((m) => m.uptime)).toEqual([10, 20, 30]);
    expect(series.every((m) => m.plc_link === 0)).toBe(true);
  });
});
