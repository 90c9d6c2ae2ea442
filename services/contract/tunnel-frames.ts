import { z } from 'zod';

/**
 * The tunnel's wire format (docs/protocol.md, "PLC tunnel"): one binary MQTT payload per
 * frame, on `mtbox/{sn}/tun/down` (cloud → box) and `mtbox/{sn}/tun/up` (box → cloud).
 *
 *   byte 0        frame type
 *   bytes 1–16    tunnel id, 16 raw bytes
 *   bytes 17–20   sequence number, uint32 big-endian, per tunnel and direction, from 0
 *   bytes 21–     body
 *
 * Sequencing: each side numbers every frame it sends on a tunnel, whatever its type, 0, 1,
 * 2, … (OPEN is 0 downwards, OPENED or REFUSED is 0 upwards). A receiver expects exactly the
 * next number: a lower one is a QoS 1 redelivery and is dropped silently; a higher one (a
 * skipped frame) closes the tunnel with reason `sequence`.
 *
 * Flow control: a receiver sends ACK with the highest number it has taken in order once the
 * DATA up to it has been handed to its TCP (or WebSocket) end without back-pressure; one ACK
 * may cover many frames. A sender keeps at most WINDOW_FRAMES DATA frames above the last ACK,
 * so a slow PLC or a slow engineer slows the other side instead of filling memory.
 *
 * Both the backend and the simulated box encode and decode with this module only.
 */

export const FRAME_TYPES = { open: 0x01, opened: 0x02, refused: 0x03, data: 0x04, ack: 0x05, close: 0x06 } as const;
export type FrameKind = keyof typeof FRAME_TYPES;

export const TUNNEL_ID_BYTES = 16;
export const HEADER_BYTES = 1 + TUNNEL_ID_BYTES + 4;
/** The most stream bytes one DATA frame carries. */
export const MAX_DATA_BYTES = 16_384;
/** A sender keeps at most this many DATA frames unacknowledged. */
export const WINDOW_FRAMES = 32;
const MAX_SEQ = 0xffff_ffff;
// JSON bodies are small; anything larger is not a frame of this protocol.
const MAX_JSON_BODY_BYTES = 4096;

/** The TCP endpoint on the box's LAN, and how long the box keeps an idle tunnel open. */
export const OpenBody = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
  idleS: z.number().int().min(1).max(86_400),
});
export type OpenBody = z.infer<typeof OpenBody>;

/** Why the box refused: `not-allowed` (not on its allow-list), `unreachable`, `busy`, or another kebab-case code. */
export const RefusedBody = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/),
  message: z.string().max(2000),
});
export type RefusedBody = z.infer<typeof RefusedBody>;

export const CloseBody = z.strictObject({ reason: z.string().min(1).max(200) });
export type CloseBody = z.infer<typeof CloseBody>;

export type TunnelFrame =
  | { kind: 'open'; tunnelId: Buffer; seq: number; body: OpenBody }
  | { kind: 'opened'; tunnelId: Buffer; seq: number }
  | { kind: 'refused'; tunnelId: Buffer; seq: number; body: RefusedBody }
  | { kind: 'data'; tunnelId: Buffer; seq: number; data: Buffer }
  | { kind: 'ack'; tunnelId: Buffer; seq: number; acked: number }
  | { kind: 'close'; tunnelId: Buffer; seq: number; body: CloseBody };

export type DecodeResult = { ok: true; frame: TunnelFrame } | { ok: false; reason: string };

const KIND_OF_TYPE = new Map<number, FrameKind>(Object.entries(FRAME_TYPES).map(([kind, type]) => [type, kind as FrameKind]));

function header(kind: FrameKind, tunnelId: Buffer, seq: number, bodyBytes: number): Buffer {
  if (tunnelId.length !== TUNNEL_ID_BYTES) throw new RangeError(`a tunnel id is ${TUNNEL_ID_BYTES} bytes`);
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) throw new RangeError('a sequence number is a uint32');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + bodyBytes);
  frame[0] = FRAME_TYPES[kind];
  tunnelId.copy(frame, 1);
  frame.writeUInt32BE(seq, 1 + TUNNEL_ID_BYTES);
  return frame;
}

/** Encodes one frame; throws RangeError on a frame the protocol does not allow (a bug in the caller). */
export function encodeFrame(frame: TunnelFrame): Buffer {
  let body: Buffer;
  switch (frame.kind) {
    case 'open':
    case 'refused':
    case 'close':
      body = Buffer.from(JSON.stringify(frame.body), 'utf8');
      break;
    case 'opened':
      body = Buffer.alloc(0);
      break;
    case 'data':
      if (frame.data.length < 1 || frame.data.length > MAX_DATA_BYTES) throw new RangeError(`DATA carries 1 to ${MAX_DATA_BYTES} bytes`);
      body = frame.data;
      break;
    case 'ack':
      body = Buffer.allocUnsafe(4);
      body.writeUInt32BE(frame.acked, 0);
      break;
  }
  const out = header(frame.kind, frame.tunnelId, frame.seq, body.length);
  body.copy(out, HEADER_BYTES);
  return out;
}

function parseJson<T>(schema: z.ZodType<T>, body: Buffer, what: string): { ok: true; value: T } | { ok: false; reason: string } {
  if (body.length > MAX_JSON_BODY_BYTES) return { ok: false, reason: `${what} body over ${MAX_JSON_BODY_BYTES} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, reason: `${what} body is not UTF-8 JSON` };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: `${what} body: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
}

/**
 * Decodes one payload. Anything that is not a well-formed frame is a reason in words, never
 * an exception: the payload comes from a box or a broker, not from our own code.
 */
export function decodeFrame(payload: Buffer): DecodeResult {
  if (payload.length < HEADER_BYTES) return { ok: false, reason: `shorter than the ${HEADER_BYTES}-byte header` };
  const kind = KIND_OF_TYPE.get(payload[0] as number);
  if (!kind) return { ok: false, reason: `unknown frame type 0x${(payload[0] as number).toString(16).padStart(2, '0')}` };
  // Copies, so a frame kept in a queue does not pin the whole MQTT packet buffer.
  const tunnelId = Buffer.from(payload.subarray(1, 1 + TUNNEL_ID_BYTES));
  const seq = payload.readUInt32BE(1 + TUNNEL_ID_BYTES);
  const body = payload.subarray(HEADER_BYTES);
  switch (kind) {
    case 'opened':
      return body.length === 0 ? { ok: true, frame: { kind, tunnelId, seq } } : { ok: false, reason: 'OPENED has no body' };
    case 'data':
      if (body.length < 1 || body.length > MAX_DATA_BYTES) return { ok: false, reason: `DATA carries 1 to ${MAX_DATA_BYTES} bytes` };
      return { ok: true, frame: { kind, tunnelId, seq, data: Buffer.from(body) } };
    case 'ack':
      if (body.length !== 4) return { ok: false, reason: 'ACK carries a 4-byte sequence number' };
      return { ok: true, frame: { kind, tunnelId, seq, acked: body.readUInt32BE(0) } };
    case 'open': {
      const r = parseJson(OpenBody, body, 'OPEN');
      return r.ok ? { ok: true, frame: { kind, tunnelId, seq, body: r.value } } : r;
    }
    case 'refused': {
      const r = parseJson(RefusedBody, body, 'REFUSED');
      return r.ok ? { ok: true, frame: { kind, tunnelId, seq, body: r.value } } : r;
    }
    case 'close': {
      const r = parseJson(CloseBody, body, 'CLOSE');
      return r.ok ? { ok: true, frame: { kind, tunnelId, seq, body: r.value } } : r;
    }
  }
}

/** A tunnel id as text (hex), for logs, the API and the timeline. */
export function tunnelIdText(id: Buffer): string {
  return id.toString('hex');
}

/** The 16-byte tunnel id of its hex text, or null when it is not one. */
export function tunnelIdFromText(text: string): Buffer | null {
  return /^[0-9a-f]{32}$/.test(text) ? Buffer.from(text, 'hex') : null;
}
