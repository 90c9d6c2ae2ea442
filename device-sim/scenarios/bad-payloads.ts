import { topicFor, type DeviceChannel } from '../../services/contract/topics.ts';
import type { Random } from '../prng.ts';
import type { Scenario } from './scenario.ts';

/** One per rejection reason the backend counts (services/edge/presence/domain/shadow.ts). */
export const BAD_PAYLOAD_KINDS = ['invalid-json', 'schema', 'too-large', 'future-timestamp', 'unknown-topic'] as const;
export type BadPayloadKind = (typeof BAD_PAYLOAD_KINDS)[number];

export interface BadPayloadSettings {
  /** Above the backend's default MAX_PAYLOAD_BYTES (64 KiB, services/platform/config.ts). */
  oversizeBytes: number;
  /** Beyond the backend's default MAX_FUTURE_SKEW_S (24 h). */
  futureMs: number;
}

export const DEFAULT_BAD_PAYLOAD_SETTINGS: BadPayloadSettings = { oversizeBytes: 128 * 1024, futureMs: 30 * 86_400_000 };

export interface BadMessage {
  kind: BadPayloadKind;
  /** A device channel, or a whole topic for unknown-topic. */
  target: DeviceChannel | string;
  payload: string;
}

const sample = (now: number) => ({ ts: now, seq: 0, metrics: { supply_voltage: 24.02, board_temp: 38.5, plc_link: 1 } });

// Each breaks the contract in a different way a buggy firmware build has been seen to.
const SCHEMA_VIOLATIONS: ReadonlyArray<(now: number) => { target: DeviceChannel; body: unknown }> = [
  (now) => ({ target: 'telemetry', body: { ts: now, seq: 1, metrics: { supply_voltage: '24.1V' } } }),
  (now) => ({ target: 'telemetry', body: { ts: String(now), metrics: { board_temp: 40 } } }),
  (now) => ({ target: 'fault', body: { id: 'x', ts: now, code: 'plc link down', severity: 'fatal' } }),
  (now) => ({ target: 'event', body: { id: 'y', ts: now, type: 'explosion' } }),
];

/** A message the backend must reject for reason `kind`. */
export function badPayload(kind: BadPayloadKind, serial: string, now: number, random: Random, settings = DEFAULT_BAD_PAYLOAD_SETTINGS): BadMessage {
  switch (kind) {
    case 'invalid-json':
      // Cut off mid-object, as a box rebooting in the middle of a write produces.
      return { kind, target: 'telemetry', payload: JSON.stringify(sample(now)).slice(0, 40) };
    case 'schema': {
      const { target, body } = random.pick(SCHEMA_VIOLATIONS)(now);
      return { kind, target, payload: JSON.stringify(body) };
    }
    case 'too-large':
      // Valid apart from its size (the extra key is ignored by the schema), so only the size limit can reject it.
      return { kind, target: 'telemetry', payload: JSON.stringify({ ...sample(now), pad: 'x'.repeat(settings.oversizeBytes) }) };
    case 'future-timestamp':
      // An RTC that lost its battery and booted into 2055, say.
      return { kind, target: 'telemetry', payload: JSON.stringify(sample(now + settings.futureMs)) };
    case 'unknown-topic':
      return { kind, target: `${topicFor(serial, 'telemetry')}/debug`, payload: JSON.stringify(sample(now)) };
  }
}

export interface BadPayloadsOptions {
  everyMs?: number;
  /** Which kinds, cycled in order. unknown-topic is opt-in: a broker may answer it by disconnecting. */
  kinds?: readonly BadPayloadKind[];
  /** How many boxes (the first ones) take turns sending them. */
  boxes?: number;
  settings?: BadPayloadSettings;
}

/** Between the valid telemetry, periodically sends one bad message of each kind in turn. */
export function badPayloads(options: BadPayloadsOptions = {}): Scenario {
  const { everyMs = 5_000, kinds = BAD_PAYLOAD_KINDS.slice(0, 4), boxes = 1, settings = DEFAULT_BAD_PAYLOAD_SETTINGS } = options;
  return {
    name: 'bad-payloads',
    start(ctx) {
      let sent = 0;
      ctx.every(everyMs, () => {
        const box = ctx.boxes[sent % Math.min(boxes, ctx.boxes.length)];
        if (!box || box.state !== 'online') return;
        const message = badPayload(kinds[sent % kinds.length] as BadPayloadKind, box.serial, ctx.now(), ctx.random, settings);
        box.publishRaw(message.target, message.payload, 0);
        sent++;
      });
    },
  };
}
