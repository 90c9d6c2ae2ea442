import { z } from 'zod';
import { BoundedJson, BoundedJsonObject } from './json-limits.ts';

/**
 * Zod schemas of every MQTT payload in the MT-BOX contract (docs/protocol.md).
 * Broker, services and device-sim import these; none restates them.
 */

/** Epoch milliseconds, UTC. Boxes' clocks drift, so the backend also records its receive time. */
export const EpochMs = z.number().int().nonnegative();

export const BoxState = z.enum(['online', 'offline']);

// `fw`, `model` and `ts` are optional because the retained Last Will is just {state:"offline"}.
export const StatusPayload = z.object({
  state: BoxState,
  fw: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(64).optional(),
  ts: EpochMs.optional(),
});
export type StatusPayload = z.infer<typeof StatusPayload>;

/**
 * Metric names the MT-BOX firmware reports in every telemetry message. Units: V, °C, dBm,
 * % CPU, % memory, 1/0 PLC link up/down, seconds since boot.
 */
export const CORE_METRICS = ['supply_voltage', 'board_temp', 'rssi', 'cpu_load', 'mem_used', 'plc_link', 'uptime'] as const;
export type CoreMetric = (typeof CORE_METRICS)[number];

export const METRIC_NAME = /^[a-z][a-z0-9_]{0,47}$/;
export const MAX_METRICS_PER_MESSAGE = 64;

export const TelemetryPayload = z.object({
  ts: EpochMs,
  seq: z.number().int().nonnegative(),
  metrics: z
    .record(z.string().regex(METRIC_NAME, 'metric names are lower_snake_case'), z.number().finite())
    .refine((m) => Object.keys(m).length > 0, 'at least one metric')
    .refine((m) => Object.keys(m).length <= MAX_METRICS_PER_MESSAGE, `at most ${MAX_METRICS_PER_MESSAGE} metrics`),
});
export type TelemetryPayload = z.infer<typeof TelemetryPayload>;

/** Per-box unique message id; a redelivered QoS 1 message carries the same id and is stored once. */
export const MessageId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'id: letters, digits, . _ : -');

export const Severity = z.enum(['info', 'warning', 'error', 'critical']);
export type Severity = z.infer<typeof Severity>;

export const FAULT_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;

/** `cleared`: the box reports that a condition it raised earlier went away by itself. */
export const FaultState = z.enum(['raised', 'cleared']);
export type FaultState = z.infer<typeof FaultState>;

export const FaultPayload = z.object({
  id: MessageId,
  ts: EpochMs,
  code: z.string().regex(FAULT_CODE, 'fault codes are upper-case, e.g. PLC_LINK_DOWN'),
  severity: Severity,
  // Optional so firmware that predates it keeps working: absent means raised.
  state: FaultState.optional(),
  message: z.string().max(1024).optional(),
  context: BoundedJsonObject.optional(),
});
export type FaultPayload = z.infer<typeof FaultPayload>;

/** Evidence the box records about how it was treated; these decide warranty scope later. */
export const EVIDENCE_TYPES = ['tamper', 'surge', 'overtemp', 'water', 'label', 'power-loss'] as const;
export const EvidenceType = z.enum(EVIDENCE_TYPES);
export type EvidenceType = z.infer<typeof EvidenceType>;

export const EventPayload = z.object({
  id: MessageId,
  ts: EpochMs,
  type: EvidenceType,
  details: BoundedJsonObject.optional(),
});
export type EventPayload = z.infer<typeof EventPayload>;

/** Commands every MT-BOX firmware answers (docs/protocol.md, "Commands"). */
export const COMMAND_NAMES = ['ping', 'params.get', 'params.set', 'reboot', 'diagnostics.run', 'log.fetch', 'plc.scan'] as const;
export const CommandName = z.enum(COMMAND_NAMES);
export type CommandName = z.infer<typeof CommandName>;

export const CommandRequest = z.object({
  id: MessageId,
  name: z.string().min(1).max(64),
  args: BoundedJsonObject,
  /** Epoch ms after which the box must not start the work; the backend has given up by then. */
  deadline: EpochMs,
});
export type CommandRequest = z.infer<typeof CommandRequest>;

/** Error codes boxes answer with; the message is for people. */
export const CommandError = z.object({
  code: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/, 'error codes are kebab-case, e.g. unknown-command'),
  message: z.string().max(2000),
  /** e.g. `{refused: {"plc.baud": "not a supported baud rate"}}` for params.set */
  details: BoundedJsonObject.optional(),
});
export type CommandError = z.infer<typeof CommandError>;

/** A result whose JSON text is larger than this is sent in parts. */
export const COMMAND_CHUNK_BYTES = 16 * 1024;
/** Bounds what the backend reassembles for one command (a full parameter set is ~100 KiB). */
export const MAX_COMMAND_PARTS = 256;

export const CommandResult = z.object({ id: MessageId, ok: z.literal(true), result: BoundedJson });
export const CommandFailure = z.object({ id: MessageId, ok: z.literal(false), error: CommandError });
/**
 * One part of a large result: `data` is the next slice of the result's JSON text, `part`
 * counts from 0, `sha256` is the hex digest of the whole text, repeated on every part.
 */
export const CommandChunk = z.object({
  id: MessageId,
  ok: z.literal(true),
  part: z.number().int().nonnegative(),
  parts: z.number().int().min(2).max(MAX_COMMAND_PARTS),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256: 64 lower-case hex digits'),
  data: z.string().max(COMMAND_CHUNK_BYTES),
});
export type CommandChunk = z.infer<typeof CommandChunk>;

// Chunk first: a chunk also has ok:true and would otherwise read as a result without `result`.
export const CommandResponse = z.union([CommandChunk.strict(), CommandResult, CommandFailure]);
export type CommandResponse = z.infer<typeof CommandResponse>;

/**
 * Parameters: a flat object of dotted names to scalars, e.g. `{"plc.baud": 9600}`; the
 * group is the first segment.
 */
export const PARAM_NAME = /^[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+$/;
export const ParamValue = z.union([z.string().max(1024), z.number().finite(), z.boolean()]);
export type ParamValue = z.infer<typeof ParamValue>;
export const ParamSet = z.record(z.string().regex(PARAM_NAME, 'parameter names are dotted, e.g. plc.baud'), ParamValue);
export type ParamSet = z.infer<typeof ParamSet>;

/** QoS each channel is published with (MQTT 3.1.1). */
export const CHANNEL_QOS = {
  status: 1,
  telemetry: 0,
  fault: 1,
  event: 1,
  'cmd/res': 1,
  'cmd/req': 1,
} as const;
