import type { z } from 'zod';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../../contract/json-limits.ts';
import { CommandResponse, MessageId, EventPayload, FaultPayload, StatusPayload, TelemetryPayload } from '../../../contract/payloads.ts';
import { checkTelemetryPayload } from '../../../contract/telemetry-check.ts';
import type { DeviceChannel } from '../../../contract/topics.ts';
import type { RejectionReason } from '../../../contract/rejection-reasons.ts';

export type DecodedMessage =
  | { channel: 'status'; payload: StatusPayload }
  | { channel: 'telemetry'; payload: TelemetryPayload }
  | { channel: 'fault'; payload: FaultPayload }
  | { channel: 'event'; payload: EventPayload }
  | { channel: 'cmd/res'; payload: CommandResponse };

export type DecodeResult =
  | { ok: true; message: DecodedMessage }
  | {
      ok: false;
      reason: RejectionReason;
      detail: string;
      /** On cmd/res: the id of the command the invalid answer names, so it can end as failed. */
      commandId?: string;
    };

export interface DecodeLimits {
  maxPayloadBytes: number;
  maxFutureSkewMs: number;
}

const SCHEMAS: { [C in DeviceChannel]: z.ZodType } = {
  status: StatusPayload,
  telemetry: TelemetryPayload,
  fault: FaultPayload,
  event: EventPayload,
  'cmd/res': CommandResponse,
};

/** Validates one device payload at the edge; `now` is the backend's receive time. */
export function decodeDeviceMessage(channel: DeviceChannel, payload: Buffer, now: number, limits: DecodeLimits): DecodeResult {
  if (payload.length > limits.maxPayloadBytes) {
    return { ok: false, reason: 'too-large', detail: `${payload.length} bytes > ${limits.maxPayloadBytes}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'invalid-json', detail: (err as Error).message };
  }
  // Telemetry and status have closed schemas; the channels with free-form values are bounded
  // before any schema or store walks them (docs/protocol.md, "JSON limits").
  if (channel !== 'telemetry' && channel !== 'status' && jsonDepthExceeds(json, MAX_JSON_DEPTH)) {
    return withCommandId(channel, json, { ok: false, reason: 'too-deep', detail: `nested deeper than ${MAX_JSON_DEPTH} levels` });
  }
  // Telemetry, which arrives at full rate, is checked by hand (held to the zod schema by its
  // tests); zod then runs only on its refusal, for the wording.
  let value: unknown = channel === 'telemetry' ? checkTelemetryPayload(json) : null;
  if (value === null) {
    const parsed = SCHEMAS[channel].safeParse(json);
    if (!parsed.success || channel === 'telemetry') {
      const detail = parsed.success
        ? 'refused by the telemetry check'
        : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return withCommandId(channel, json, { ok: false, reason: 'schema', detail });
    }
    value = parsed.data;
  }
  const ts = (value as { ts?: number }).ts;
  // Boxes' clocks drift and a box without NTP may report the past; only a timestamp far
  // ahead of the backend's clock is impossible enough to reject.
  if (ts !== undefined && ts > now + limits.maxFutureSkewMs) {
    return { ok: false, reason: 'future-timestamp', detail: `ts ${ts} is ${ts - now} ms ahead of the backend clock` };
  }
  return { ok: true, message: { channel, payload: value } as DecodedMessage };
}

function withCommandId(channel: DeviceChannel, json: unknown, result: Extract<DecodeResult, { ok: false }>): DecodeResult {
  if (channel !== 'cmd/res' || json === null || typeof json !== 'object') return result;
  const id = MessageId.safeParse((json as { id?: unknown }).id);
  return id.success ? { ...result, commandId: id.data } : result;
}
