/**
 * Raw MQTT 3.1.1 packet bytes for tests, built by hand so that a test can produce what no
 * client library would send (ill-formed UTF-8, contradicting flags, packet id 0, …).
 */

export type Bytes = Buffer | string;

const bytes = (b: Bytes) => (typeof b === 'string' ? Buffer.from(b, 'utf8') : b);

/** A length-prefixed string or binary field (MQTT 3.1.1 §1.5.3). */
export function field(value: Bytes): Buffer {
  const b = bytes(value);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let digit = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) digit |= 0x80;
    out.push(digit);
  } while (n > 0);
  return Buffer.from(out);
}

/** A whole packet: fixed header byte, remaining length, body. */
export function packet(firstByte: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body]);
}

export interface ConnectSpec {
  clientId: Bytes;
  username?: Bytes;
  password?: Bytes;
  will?: { topic: Bytes; payload?: Bytes; qos?: number; retain?: boolean };
  clean?: boolean;
  keepAlive?: number;
  protocolName?: string;
  level?: number;
  /** Overrides the connect flags byte computed from the fields. */
  flags?: number;
  /** Bytes appended after the payload fields. */
  trailing?: Buffer;
}

export function connectFlags(spec: ConnectSpec): number {
  let flags = 0;
  if (spec.clean ?? true) flags |= 0x02;
  if (spec.will) {
    flags |= 0x04 | ((spec.will.qos ?? 0) << 3);
    if (spec.will.retain) flags |= 0x20;
  }
  if (spec.password !== undefined) flags |= 0x40;
  if (spec.username !== undefined) flags |= 0x80;
  return flags;
}

export function connect(spec: ConnectSpec): Buffer {
  const parts = [
    field(spec.protocolName ?? 'MQTT'),
    Buffer.from([spec.level ?? 4, spec.flags ?? connectFlags(spec)]),
    u16(spec.keepAlive ?? 30),
    field(spec.clientId),
  ];
  if (spec.will) parts.push(field(spec.will.topic), field(spec.will.payload ?? '{"state":"offline"}'));
  if (spec.username !== undefined) parts.push(field(spec.username));
  if (spec.password !== undefined) parts.push(field(spec.password));
  if (spec.trailing) parts.push(spec.trailing);
  return packet(0x10, Buffer.concat(parts));
}

export interface PublishSpec {
  topic: Bytes;
  payload?: Bytes;
  qos?: number;
  dup?: boolean;
  retain?: boolean;
  id?: number;
}

export function publish(spec: PublishSpec): Buffer {
  const qos = spec.qos ?? 0;
  const first = 0x30 | (spec.dup ? 0x08 : 0) | (qos << 1) | (spec.retain ? 0x01 : 0);
  const parts = [field(spec.topic)];
  if (qos > 0) parts.push(u16(spec.id ?? 1));
  parts.push(bytes(spec.payload ?? '{}'));
  return packet(first, Buffer.concat(parts));
}

export function subscribe(id: number, filters: Array<[Bytes, number]>, flags = 0x02): Buffer {
  const body = [u16(id), ...filters.flatMap(([f, qos]) => [field(f), Buffer.from([qos])])];
  return packet(0x80 | flags, Buffer.concat(body));
}

export function unsubscribe(id: number, filters: Bytes[], flags = 0x02): Buffer {
  return packet(0xa0 | flags, Buffer.concat([u16(id), ...filters.map(field)]));
}

export const PUBACK = 4;
export const PUBREC = 5;
export const PUBREL = 6;
export const PUBCOMP = 7;

/** PUBACK, PUBREC, PUBREL (flags 0010) or PUBCOMP with its packet id and optional extra bytes. */
export function ack(type: number, id: number, extra: Buffer = Buffer.alloc(0), flags = type === PUBREL ? 0x02 : 0): Buffer {
  return packet((type << 4) | flags, Buffer.concat([u16(id), extra]));
}

export const pingreq = (body: Buffer = Buffer.alloc(0)) => packet(0xc0, body);
export const disconnect = (body: Buffer = Buffer.alloc(0)) => packet(0xe0, body);
