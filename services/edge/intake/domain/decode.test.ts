import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../contract/json-limits.ts';
import { decodeDeviceMessage } from './decode.ts';

const NOW = Date.UTC(2026, 10, 25, 12);
const limits = { maxPayloadBytes: 1024, maxFutureSkewMs: 3600_000 };
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('decoding device messages at the edge', () => {
  it('accepts valid telemetry and keeps the box timestamp', () => {
    const r = decodeDeviceMessage('telemetry', buf({ ts: NOW - 5000, seq: 7, metrics: { supply_voltage: 24.1, plc_link: 1 } }), NOW, limits);
    expect(r).toEqual({
      ok: true,
      message: { channel: 'telemetry', payload: { ts: NOW - 5000, seq: 7, metrics: { supply_voltage: 24.1, plc_link: 1 } } },
    });
  });

  it('rejects invalid JSON with the parser message', () => {
    const r = decodeDeviceMessage('telemetry', buf('{"ts":'), NOW, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('invalid-json');
  });

  it('rejects a schema violation naming the field', () => {
    const r = decodeDeviceMessage('fault', buf({ id: 'f1', ts: NOW, code: 'PLC_LINK_DOWN', severity: 'dreadful' }), NOW, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('schema');
      expect(r.detail).toContain('severity');
    }
  });

  it('rejects a payload larger than the limit before parsing it', () => {
    const r = decodeDeviceMessage('event', Buffer.alloc(1025, 0x20), NOW, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('too-large');
  });

  it('rejects a timestamp far in the future but accepts a drifting or past clock', () => {
    const far = decodeDeviceMessage('event', buf({ id: 'e1', ts: NOW + 3600_001, type: 'surge' }), NOW, limits);
    expect(far.ok).toBe(false);
    if (!far.ok) expect(far.reason).toBe('future-timestamp');
    expect(decodeDeviceMessage('event', buf({ id: 'e2', ts: NOW + 60_000, type: 'surge' }), NOW, limits).ok).toBe(true);
    expect(decodeDeviceMessage('event', buf({ id: 'e3', ts: 0, type: 'power-loss' }), NOW, limits).ok).toBe(true);
  });

  it('accepts the bare Last Will status', () => {
    expect(decodeDeviceMessage('status', buf({ state: 'offline' }), NOW, limits)).toEqual({
      ok: true,
      message: { channel: 'status', payload: { state: 'offline' } },
    });
  });

  it('rejects telemetry without metrics and non-numeric metric values', () => {
    expect(decodeDeviceMessage('telemetry', buf({ ts: NOW, seq: 1, metrics: {} }), NOW, limits).ok).toBe(false);
    expect(decodeDeviceMessage('telemetry', buf({ ts: NOW, seq: 1, metrics: { rssi: 'weak' } }), NOW, limits).ok).toBe(false);
  });

  it('words a telemetry refusal as the zod schema does, naming the field', () => {
    const r = decodeDeviceMessage('telemetry', buf({ ts: NOW, seq: 1, metrics: { rssi: 'weak' } }), NOW, limits);
    expect(r).toMatchObject({ ok: false, reason: 'schema' });
    if (!r.ok) expect(r.detail).toMatch(/^metrics\.rssi: /);
    const far = decodeDeviceMessage('telemetry', buf({ ts: NOW + 3600_001, seq: 1, metrics: { rssi: -70 } }), NOW, limits);
    expect(far).toMatchObject({ ok: false, reason: 'future-timestamp' });
  });

  const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  it('rejects a fault whose context nests deeper than the JSON limit, before the schema', () => {
    const text = `{"id":"f1","ts":${NOW},"code":"PLC_LINK_DOWN","severity":"error","context":${nested(10_000)}}`;
    const r = decodeDeviceMessage('fault', Buffer.from(text), NOW, { ...limits, maxPayloadBytes: 1 << 20 });
    expect(r).toMatchObject({ ok: false, reason: 'too-deep' });
  });

  it('accepts a fault context nested up to the limit', () => {
    // The payload object is level 1, so the context may nest 31 more.
    const text = `{"id":"f1","ts":${NOW},"code":"PLC_LINK_DOWN","severity":"error","context":${nested(MAX_JSON_DEPTH - 1)}}`;
    const r = decodeDeviceMessage('fault', Buffer.from(text), NOW, { ...limits, maxPayloadBytes: 1 << 20 });
    expect(r.ok).toBe(true);
  });

  it('names the command of a too-deep answer so it can end as failed', () => {
    const text = `{"id":"cmd-1","ok":true,"result":${nested(5000)}}`;
    const r = decodeDeviceMessage('cmd/res', Buffer.from(text), NOW, { ...limits, maxPayloadBytes: 1 << 20 });
    expect(r).toMatchObject({ ok: false, reason: 'too-deep', commandId: 'cmd-1' });
  });

  it('names the command of an answer that breaks the schema', () => {
    const r = decodeDeviceMessage('cmd/res', buf({ id: 'cmd-2', ok: false, error: { code: 'Not Kebab', message: 'x' } }), NOW, limits);
    expect(r).toMatchObject({ ok: false, reason: 'schema', commandId: 'cmd-2' });
  });
});
