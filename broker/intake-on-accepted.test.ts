import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import type { SaveResult } from '../services/edge/intake/domain/intake-port.ts';
import { createShadowService } from '../services/edge/presence/shadow-service.ts';
import { telemetryStandIn } from '../test/helpers/telemetry-stand-in.ts';
import { createIntake, type IntakeDeps } from './intake.ts';

// In-memory stand-ins for the stores (their SQLite adapters are tested against a real
// database elsewhere): this test is about when the intake tells onAccepted.
const NOW = 1_750_000_000_000;
const session = { deviceId: 7, serial: 'MTB2611000007', address: '127.0.0.1' };

async function setup(saved: () => Promise<SaveResult>) {
  const calls: Array<{ serial: string; channel: string; payload: unknown; acked: boolean }> = [];
  let acked = false;
  const shadows = await createShadowService({ loadAll: async () => [], saveMany: () => true }, { flushIntervalMs: 60_000, onFlushError: () => {} });
  const deps: IntakeDeps = {
    clock: () => NOW,
    logger: pino({ level: 'silent' }),
    limits: { maxPayloadBytes: 1024, maxFutureSkewMs: 60_000 },
    telemetry: telemetryStandIn(),
    store: { saveFault: saved, saveEvent: saved, listFaults: async () => [], listEvents: async () => [] },
    shadows,
    onAccepted: (serial, channel, payload) => calls.push({ serial, channel, payload, acked }),
  };
  const intake = createIntake(deps);
  const send = (channel: 'telemetry' | 'fault' | 'status', body: unknown) =>
    new Promise<void>((resolve) => {
      acked = false;
      const packet = {
        cmd: 'publish' as const,
        topic: topicFor(session.serial, channel),
        payload: Buffer.from(JSON.stringify(body)),
        qos: 1 as const,
        dup: false,
        retain: false,
      };
      intake.handle(session, channel, packet, () => {
        acked = true;
        resolve();
      });
    });
  return { calls, send };
}

describe('intake onAccepted hook', () => {
  it('tells every accepted telemetry and status message, validated, with the serial', async () => {
    const { calls, send } = await setup(async () => ({ stored: true, rowId: 1 }));
    await send('telemetry', { ts: NOW, seq: 1, metrics: { cpu_pct: 12 } });
    await send('status', { state: 'online', ts: NOW });
    expect(calls.map((c) => [c.serial, c.channel, c.payload])).toEqual([
      ['MTB2611000007', 'telemetry', { ts: NOW, seq: 1, metrics: { cpu_pct: 12 } }],
      ['MTB2611000007', 'status', { state: 'online', ts: NOW }],
    ]);
  });

  it('tells a fault only after it was committed, and a redelivered duplicate not again', async () => {
    let stored = true;
    const { calls, send } = await setup(async () => (stored ? { stored: true, rowId: 1 } : { stored: false }));
    const fault = { id: 'f-1', ts: NOW, code: 'PLC_LINK_DOWN', severity: 'error' };
    await send('fault', fault);
    expect(calls).toEqual([{ serial: 'MTB2611000007', channel: 'fault', payload: fault, acked: true }]);
    stored = false;
    await send('fault', fault);
    expect(calls).toHaveLength(1);
  });

  it('does not tell a rejected message', async () => {
    const { calls, send } = await setup(async () => ({ stored: true, rowId: 1 }));
    await send('telemetry', { ts: NOW, seq: 1, metrics: {} });
    expect(calls).toEqual([]);
  });
});
