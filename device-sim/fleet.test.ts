import { describe, expect, it } from 'vitest';
import { StatusPayload, TelemetryPayload } from '../services/contract/payloads.ts';
import { parseTopic } from '../services/contract/topics.ts';
import { serialFor } from './demo-fleet.ts';
import { Fleet, startFleet, type FleetOptions } from './fleet.ts';
import type { FleetStats } from './fleet-stats.ts';
import { useTestBroker } from './test-support/aedes-broker.ts';
import { fakeTime } from './test-support/fake-time.ts';
import { MqttProbe } from './test-support/mqtt-probe.ts';
import type { Timers } from './timers.ts';

const live = useTestBroker();

const credentials = (n: number) => Array.from({ length: n }, (_, i) => ({ serial: serialFor('MTB2611', i + 1), secret: `s-${i}` }));

function newFleet(options: Partial<FleetOptions> & Pick<FleetOptions, 'credentials'>): Fleet {
  const fleet = new Fleet({ mqttUrl: live.broker.url, rampMs: 0, ...options });
  live.defer(() => fleet.stop({ graceful: false }));
  return fleet;
}

async function probe(filter: string): Promise<MqttProbe> {
  const p = await MqttProbe.connect(live.broker.url, filter);
  live.defer(() => p.close());
  return p;
}

describe('Fleet', () => {
  it('publishes every box at the configured rate from a single interval timer', async () => {
    const time = fakeTime();
    let intervals = 0;
    const countingTimers: Timers = { ...time.timers, setInterval: (fn, ms) => (intervals++, time.timers.setInterval(fn, ms)) };
    const watcher = await probe('mtbox/+/telemetry');
    const fleet = newFleet({ credentials: credentials(4), rate: 2, clock: time.clock, timers: countingTimers });
    await fleet.start();
    await fleet.waitAllOnline();

    time.advance(5_000);
    const received = await watcher.waitFor(() => true, 4 * 10);
    expect(intervals).toBe(1);
    expect(received).toHaveLength(40);
    const bySerial = new Map<string | undefined, typeof received>();
    for (const m of received) bySerial.set(parseTopic(m.topic)?.sn, [...(bySerial.get(parseTopic(m.topic)?.sn) ?? []), m]);
    expect(bySerial.size).toBe(4);
    for (const messages of bySerial.values()) {
      const samples = messages.map((m) => TelemetryPayload.parse(m.json));
      expect(samples.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // 2 per second: one sample every 500 ms of the (fake) clock.
      expect(samples.slice(1).map((s, i) => s.ts - (samples[i]?.ts ?? 0))).toEqual(Array(9).fill(500));
    }
    expect(fleet.stats().totals.telemetry).toBe(40);
  });

  it('spreads the boxes of one wheel period over its slots instead of sending them together', async () => {
    const time = fakeTime();
    const watcher = await probe('mtbox/+/telemetry');
    const fleet = newFleet({ credentials: credentials(10), rate: 1, clock: time.clock, timers: time.timers });
    await fleet.start();
    await fleet.waitAllOnline();

    time.advance(500); // half a period: the first five of ten slots
    const received = await watcher.waitFor(() => true, 5);
    expect(new Set(received.map((m) => TelemetryPayload.parse(m.json).ts)).size).toBe(5);
  });

  it('boots boxes over the ramp rather than all at once', async () => {
    const time = fakeTime();
    const fleet = newFleet({ credentials: credentials(10), rate: 0, rampMs: 100, clock: time.clock, timers: time.timers });
    const started = fleet.start();
    const booted = () => fleet.boxes.filter((b) => b.state !== 'idle').length;
    expect(booted()).toBe(1);
    time.advance(40);
    expect(booted()).toBe(5);
    time.advance(60);
    expect(booted()).toBe(10);
    await started;
  });

  it('reports aggregate stats on its stats interval', async () => {
    const time = fakeTime();
    const reports: FleetStats[] = [];
    const fleet = newFleet({
      credentials: credentials(3),
      rate: 1,
      clock: time.clock,
      timers: time.timers,
      statsEveryMs: 10_000,
      onStats: (s) => reports.push(s),
    });
    await fleet.start();
    await fleet.waitAllOnline();
    time.advance(10_000);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ elapsedMs: 10_000, boxes: 3, online: 3, totals: { telemetry: 30 }, telemetryPerS: 3 });
  });

  it('starts N boxes for given credentials and waits until all are online (the helper for test/)', async () => {
    const watcher = await probe('mtbox/+/status');
    const fleet = await startFleet({ mqttUrl: live.broker.url, credentials: credentials(20), rate: 0 });
    live.defer(() => fleet.stop({ graceful: false }));
    const online = await watcher.waitFor((m) => StatusPayload.safeParse(m.json).data?.state === 'online', 20);
    expect(new Set(online.map((m) => m.topic)).size).toBe(20);

    const totals = await fleet.stop({ graceful: true });
    expect(totals.online).toBe(0);
    await watcher.waitFor((m) => StatusPayload.safeParse(m.json).data?.state === 'offline', 20);
  });
});
