import { describe, expect, it } from 'vitest';
import { EVIDENCE_TYPES, EventPayload, FaultPayload, StatusPayload, TelemetryPayload } from '../../services/contract/payloads.ts';
import { parseTopic } from '../../services/contract/topics.ts';
import { serialFor } from '../demo-fleet.ts';
import { Fleet } from '../fleet.ts';
import { useTestBroker } from '../test-support/aedes-broker.ts';
import { fakeTime } from '../test-support/fake-time.ts';
import { MqttProbe, type ProbeMessage } from '../test-support/mqtt-probe.ts';
import { evidence } from './evidence.ts';
import { FaultAtArg, faultAt } from './fault-at.ts';
import { PLC_LINK_DOWN, plcLinkFlap } from './plc-link-flap.ts';
import { reconnectStorm } from './reconnect-storm.ts';
import type { Scenario } from './scenario.ts';

const live = useTestBroker();

/** A fleet of `n` boxes on fake time, all online, with a probe on every topic. */
async function runFleet(n: number, scenario: Scenario, rate = 0) {
  const time = fakeTime();
  const watcher = await MqttProbe.connect(live.broker.url, 'mtbox/#');
  live.defer(() => watcher.close());
  const fleet = new Fleet({
    mqttUrl: live.broker.url,
    credentials: Array.from({ length: n }, (_, i) => ({ serial: serialFor('MTB2611', i + 1), secret: 's' })),
    rate,
    rampMs: 0,
    seed: 4,
    clock: time.clock,
    timers: time.timers,
    scenarios: [scenario],
    box: { backoff: { baseMs: 10, maxMs: 50 } },
  });
  live.defer(() => fleet.stop({ graceful: false }));
  await fleet.start();
  await fleet.waitAllOnline();
  return { time, watcher, fleet };
}

const on = (channel: string) => (m: ProbeMessage) => parseTopic(m.topic)?.channel === channel;

describe('plc-link-flap scenario', () => {
  it('raises PLC_LINK_DOWN as a warning, clears it when the link is back, and reports plc_link 0 only while down', async () => {
    const scenario = plcLinkFlap({ fraction: 1, startAfterMs: 2_000, flaps: 2, downMs: [3_000, 3_000], upMs: [4_000, 4_000] });
    const { time, watcher } = await runFleet(1, scenario, 1);
    time.advance(30_000);

    const faults = (await watcher.waitFor(on('fault'), 4)).map((m) => FaultPayload.parse(m.json));
    expect(faults.map((f) => [f.code, f.severity, f.state ?? 'raised'])).toEqual([
      [PLC_LINK_DOWN, 'warning', 'raised'],
      [PLC_LINK_DOWN, 'info', 'cleared'],
      [PLC_LINK_DOWN, 'warning', 'raised'],
      [PLC_LINK_DOWN, 'info', 'cleared'],
    ]);
    const samples = (await watcher.waitFor(on('telemetry'), 30)).map((m) => TelemetryPayload.parse(m.json));
    const link = samples.map((s) => s.metrics.plc_link).join('');
    // Two outages of 3 s each at one sample a second, separated by link-up samples.
    expect(link).toMatch(/^1+0{3}1+0{3}1+$/);
    const firstDown = samples.find((s) => s.metrics.plc_link === 0);
    expect(firstDown?.ts).toBeGreaterThanOrEqual(faults[0]?.ts ?? Infinity);
  });
});

describe('fault-at scenario', () => {
  it('reads CODE@SECONDS with an optional share of the fleet and severity', () => {
    expect(FaultAtArg.parse('SUPPLY_UNDERVOLTAGE@30')).toEqual({ code: 'SUPPLY_UNDERVOLTAGE', atS: 30, severity: 'error' });
    expect(FaultAtArg.parse('BOARD_TEMP_HIGH@1.5:0.25:warning')).toEqual({ code: 'BOARD_TEMP_HIGH', atS: 1.5, fraction: 0.25, severity: 'warning' });
    expect(FaultAtArg.parse('BOARD_TEMP_HIGH@2:10%')).toMatchObject({ fraction: 0.1 });
    expect(FaultAtArg.safeParse('fan stall@2').success).toBe(false);
    expect(FaultAtArg.safeParse('BOARD_TEMP_HIGH@2:1.5').success).toBe(false);
    expect(FaultAtArg.safeParse('BOARD_TEMP_HIGH').success).toBe(false);
  });

  it('raises each fault at its time on one box or on the given share of the fleet', async () => {
    const scenario = faultAt([
      { code: 'SUPPLY_UNDERVOLTAGE', atS: 2, fraction: 0.3, severity: 'error' },
      { code: 'BOARD_TEMP_HIGH', atS: 3, severity: 'warning' },
    ]);
    const { time, watcher, fleet } = await runFleet(10, scenario);
    const raised = () => fleet.boxes.reduce((n, b) => n + b.counters.faults, 0);
    time.advance(1_999);
    expect(raised()).toBe(0);
    time.advance(1);
    expect(raised()).toBe(3);
    time.advance(1_000);
    expect(raised()).toBe(4);

    const faults = (await watcher.waitFor(on('fault'), 4)).map((m) => ({ sn: parseTopic(m.topic)?.sn, ...FaultPayload.parse(m.json) }));
    expect(new Set(faults.filter((f) => f.code === 'SUPPLY_UNDERVOLTAGE').map((f) => f.sn)).size).toBe(3);
    expect(faults.filter((f) => f.code === 'BOARD_TEMP_HIGH').map((f) => [f.sn, f.severity])).toEqual([[fleet.boxes[0]?.serial, 'warning']]);
  });
});

describe('reconnect-storm scenario', () => {
  it('drops every connection at once and all boxes come back with back-off', async () => {
    const { time, watcher, fleet } = await runFleet(8, reconnectStorm({ atMs: 5_000 }));
    const status = (state: string) => (m: ProbeMessage) => on('status')(m) && StatusPayload.safeParse(m.json).data?.state === state;
    await watcher.waitFor(status('online'), 8);
    time.advance(5_000);

    // The broker fires each dropped box's will, then every box announces itself again.
    await watcher.waitFor(status('offline'), 8);
    await watcher.waitFor(status('online'), 16);
    await fleet.waitAllOnline();
    expect(fleet.boxes.map((b) => b.counters.reconnects)).toEqual(Array(8).fill(1));
  });
});

describe('evidence scenario', () => {
  it('records valid evidence events of the contract types with unique ids', async () => {
    // 3600 per box-hour = one per box-second, so the run is short.
    const { time, watcher } = await runFleet(4, evidence({ perBoxPerHour: 3_600, tickMs: 1_000 }));
    time.advance(3_000);

    const events = (await watcher.waitFor(on('event'), 12)).map((m) => EventPayload.parse(m.json));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const e of events) expect(EVIDENCE_TYPES).toContain(e.type);
    expect(events.every((e) => e.details !== undefined)).toBe(true);
  });
});
