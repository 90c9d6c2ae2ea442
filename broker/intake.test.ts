import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { createShadowService } from '../services/edge/presence/shadow-service.ts';
import { telemetryStandIn } from '../test/helpers/telemetry-stand-in.ts';
import { createIntake } from './intake.ts';

/** Stores every fault and event as new; what is stored is not this test's concern. */
const acceptingIntakeStore = {
  saveFault: async () => ({ stored: true as const, rowId: 1 }),
  saveEvent: async () => ({ stored: true as const, rowId: 1 }),
  listFaults: async () => [],
  listEvents: async () => [],
};

// The stores below are in-memory stand-ins for ports whose SQLite adapters are tested
// against a real database elsewhere; this test is about what the intake logs.
async function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  let now = 1_000_000;
  const shadows = await createShadowService({ loadAll: async () => [], saveMany: () => true }, { flushIntervalMs: 60_000, onFlushError: () => {} });
  const intake = createIntake({
    clock: () => now,
    logger: pino({ level: 'warn' }, sink),
    limits: { maxPayloadBytes: 1024, maxFutureSkewMs: 60_000 },
    telemetry: telemetryStandIn(),
    store: acceptingIntakeStore,
    shadows,
  });
  const session = { deviceId: 7, serial: 'MTB2611000007', address: '127.0.0.1' };
  const bad = () =>
    new Promise<void>((resolve) =>
      intake.handle(
        session,
        'telemetry',
        { cmd: 'publish', topic: topicFor(session.serial, 'telemetry'), payload: Buffer.from('{oops'), qos: 0, dup: false, retain: false },
        () => resolve(),
      ),
    );
  return { lines, bad, shadows, advance: (ms: number) => (now += ms), intake };
}

describe('intake logging of rejected messages', () => {
  it('logs one line per box per window, counts every rejection, and reports how many it did not log', async () => {
    const { lines, bad, shadows, advance, intake } = await setup();
    for (let i = 0; i < 5; i++) await bad();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ serial: 'MTB2611000007', reason: 'invalid-json', address: '127.0.0.1' });
    expect(shadows.get(7)?.rejected['invalid-json']).toBe(5);
    expect(intake.stats().rejected).toBe(5);
    advance(10_000);
    await bad();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ alsoRejectedSinceLastLog: 4 });
  });
});

describe('intake back-pressure from a full telemetry store', () => {
  it('keeps the message but holds its acknowledgement until the store has room again', async () => {
    let room = false;
    const appended: number[] = [];
    const waiting: Array<() => void> = [];
    const shadows = await createShadowService({ loadAll: async () => [], saveMany: () => true }, { flushIntervalMs: 60_000, onFlushError: () => {} });
    const intake = createIntake({
      clock: () => 1_000_000,
      logger: pino({ level: 'silent' }),
      limits: { maxPayloadBytes: 1024, maxFutureSkewMs: 60_000 },
      telemetry: telemetryStandIn({
        append: (point) => (appended.push(point.seq), room),
        whenRoom: (ready) => (room ? ready() : waiting.push(ready)),
      }),
      store: acceptingIntakeStore,
      shadows,
    });
    const session = { deviceId: 7, serial: 'MTB2611000007', address: '127.0.0.1' };
    let acknowledged = 0;
    const payload = Buffer.from(JSON.stringify({ ts: 999_000, seq: 41, metrics: { rssi: -70 } }));
    intake.handle(
      session,
      'telemetry',
      { cmd: 'publish', topic: topicFor(session.serial, 'telemetry'), payload, qos: 1, dup: false, retain: false },
      () => acknowledged++,
    );
    expect(appended).toEqual([41]);
    expect(acknowledged).toBe(0);
    room = true;
    for (const ready of waiting.splice(0)) ready();
    expect(acknowledged).toBe(1);
  });
});
