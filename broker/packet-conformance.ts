import { isUtf8 } from 'node:buffer';

/**
 * MQTT 3.1.1 rules under which the server MUST close the network connection and that aedes 1.x
 * and mqtt-packet 9 do not (or not all) enforce. Pure: bytes in, a violation or null out.
 */

export const CONFORMANCE_KINDS = [
  'reserved-flags',
  'second-connect',
  'unexpected-packet-type',
  'wrong-remaining-length',
  'malformed-packet',
  'unsupported-protocol',
  'invalid-utf8',
  'utf8-null',
  'will-flags',
  'credential-flags',
  'empty-client-id',
  'packet-id-zero',
  'no-topic-filters',
  'dup-at-qos-0',
  'publish-qos-3',
] as const;
export type ConformanceKind = (typeof CONFORMANCE_KINDS)[number];

export interface ConformanceViolation {
  kind: ConformanceKind;
  /** The MQTT 3.1.1 conformance statement the packet breaks, e.g. `MQTT-3.1.2-14`. */
  clause: string;
  /** A CONNACK return code to send before closing, where the standard asks for one. */
  connack?: 0x01 | 0x02;
}

const CONNECT = 1;
const PUBLISH = 3;
const PUBACK = 4;
const PUBREL = 6;
const PUBCOMP = 7;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;
const PINGREQ = 12;
const DISCONNECT = 14;

// Packets only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP) and the reserved types 0 and 15.
const NOT_FROM_CLIENTS = new Set([0, 2, 9, 11, 13, 15]);

const violation = (kind: ConformanceKind, clause: string, connack?: 0x01 | 0x02): ConformanceViolation =>
  connack === undefined ? { kind, clause } : { kind, clause, connack };

/**
 * Checks what the fixed header alone decides: packet type, flag bits and the fixed remaining
 * lengths. `isFirst` is true for the first packet on the connection.
 */
export function checkFixedHeader(firstByte: number, remainingLength: number, isFirst: boolean): ConformanceViolation | null {
  const type = firstByte >> 4;
  const flags = firstByte & 0x0f;
  if (NOT_FROM_CLIENTS.has(type)) return violation('unexpected-packet-type', 'MQTT-4.8.0-1');
  if (type === CONNECT && !isFirst) return violation('second-connect', 'MQTT-3.1.0-2');
  if (type === PUBLISH) {
    const qos = (flags >> 1) & 0x03;
    if (qos === 3) return violation('publish-qos-3', 'MQTT-3.3.1-4');
    if (qos === 0 && flags & 0x08) return violation('dup-at-qos-0', 'MQTT-3.3.1-2');
    return null;
  }
  // Table 2.2: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0010, every other type 0000.
  const required = type === PUBREL || type === SUBSCRIBE || type === UNSUBSCRIBE ? 0x02 : 0x00;
  if (flags !== required) return violation('reserved-flags', 'MQTT-2.2.2-2');
  // §3.4–3.7: the acknowledgements are exactly a packet identifier; §3.12, §3.14: no body at all.
  if (type >= PUBACK && type <= PUBCOMP && remainingLength !== 2) return violation('wrong-remaining-length', 'MQTT-4.8.0-1');
  if ((type === PINGREQ || type === DISCONNECT) && remainingLength !== 0) {
    return violation('wrong-remaining-length', 'MQTT-4.8.0-1');
  }
  return null;
}

/**
 * How many leading body bytes `checkBody` needs, given the ones already read (`head`). Only a
 * PUBLISH is read partly: its topic and packet identifier, never its payload.
 */
export function bodyBytesNeeded(firstByte: number, remainingLength: number, head: Uint8Array): number {
  if (firstByte >> 4 !== PUBLISH) return remainingLength;
  if (head.length < 2) return Math.min(2, remainingLength);
  const topicLength = (head[0]! << 8) | head[1]!;
  const idLength = (firstByte >> 1) & 0x03 ? 2 : 0;
  return Math.min(remainingLength, 2 + topicLength + idLength);
}

/**
 * Checks a packet's body; `head` holds its first `bodyBytesNeeded` bytes (the whole body
 * except for a PUBLISH). Call it after `checkFixedHeader` passed.
 */
export function checkBody(firstByte: number, head: Uint8Array): ConformanceViolation | null {
  const reader = new Reader(head);
  switch (firstByte >> 4) {
    case CONNECT:
      return checkConnect(reader);
    case PUBLISH:
      return checkPublish(firstByte, reader);
    case SUBSCRIBE:
      return checkFilters(reader, true);
    case UNSUBSCRIBE:
      return checkFilters(reader, false);
    case PUBACK:
    case 5:
    case PUBREL:
    case PUBCOMP:
      return checkPacketId(reader);
    default:
      return null;
  }
}

/** Checks one complete packet (fixed header included); a convenience over the two steps. */
export function checkPacket(packet: Uint8Array, isFirst: boolean): ConformanceViolation | null {
  let length = 0;
  let multiplier = 1;
  let i = 1;
  for (;;) {
    const byte = packet[i++];
    if (byte === undefined || i > 5) return violation('malformed-packet', 'MQTT-4.8.0-1');
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if (!(byte & 0x80)) break;
  }
  if (packet.length - i !== length) return violation('malformed-packet', 'MQTT-4.8.0-1');
  const firstByte = packet[0]!;
  const header = checkFixedHeader(firstByte, length, isFirst);
  if (header) return header;
  const body = packet.subarray(i);
  return checkBody(firstByte, body.subarray(0, bodyBytesNeeded(firstByte, length, body)));
}

/** The keep-alive a well-formed MQTT 3.1.1 CONNECT body asks for, in seconds. */
export function connectKeepAlive(body: Uint8Array): number | null {
  const reader = new Reader(body);
  if (!reader.field()) return null;
  reader.skip(2);
  return reader.u16();
}

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }
  u8(): number | null {
    return this.pos < this.bytes.length ? this.bytes[this.pos++]! : null;
  }
  u16(): number | null {
    if (this.pos + 2 > this.bytes.length) return null;
    const value = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return value;
  }
  skip(n: number): void {
    this.pos += n;
  }
  /** A length-prefixed string or binary field; null when it runs past the packet. */
  field(): Uint8Array | null {
    const length = this.u16();
    if (length === null || this.pos + length > this.bytes.length) return null;
    const value = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }
}

function checkText(text: Uint8Array): ConformanceViolation | null {
  // In well-formed UTF-8 a zero byte can only be U+0000. Topics are nearly always ASCII: a
  // loop decides those without a call into the UTF-8 validator.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i]!;
    if (byte === 0) return violation('utf8-null', 'MQTT-1.5.3-2');
    if (byte & 0x80) ascii = false;
  }
  // Strict: encoded surrogates (ED A0 80), overlongs (C0 80) and code points above U+10FFFF fail.
  if (!ascii && !isUtf8(text)) return violation('invalid-utf8', 'MQTT-1.5.3-1');
  return null;
}

// Protocol names are ASCII ('MQTT', 'MQIsdp'); anything longer is no known name.
const protocolName = (bytes: Uint8Array) => (bytes.length <= 6 ? String.fromCharCode(...bytes) : '');

// [MQTT-3.1.4-1] a CONNECT that does not conform to §3.1 is closed without a CONNACK.
const MALFORMED_CONNECT = violation('malformed-packet', 'MQTT-3.1.4-1');

function checkConnect(r: Reader): ConformanceViolation | null {
  const name = r.field();
  const level = r.u8();
  if (name === null || level === null) return MALFORMED_CONNECT;
  const protocol = protocolName(name);
  if (!((protocol === 'MQTT' && level === 4) || (protocol === 'MQIsdp' && level === 3))) {
    // [MQTT-3.1.2-2] a known protocol at a level we do not speak (e.g. MQTT 5) gets 0x01.
    if (protocol === 'MQTT' || protocol === 'MQIsdp') return violation('unsupported-protocol', 'MQTT-3.1.2-2', 0x01);
    return violation('malformed-packet', 'MQTT-3.1.2-1');
  }
  const flags = r.u8();
  const keepAlive = r.u16();
  if (flags === null || keepAlive === null) return MALFORMED_CONNECT;
  const flagViolation = checkConnectFlags(flags);
  if (flagViolation) return flagViolation;

  const clientId = r.field();
  if (clientId === null) return MALFORMED_CONNECT;
  const idText = checkText(clientId);
  if (idText) return idText;
  if (flags & 0x04) {
    const topic = r.field();
    if (topic === null || r.field() === null) return MALFORMED_CONNECT;
    const topicText = checkText(topic);
    if (topicText) return topicText;
  }
  const hasUsername = (flags & 0x80) !== 0;
  const hasPassword = (flags & 0x40) !== 0;
  if (hasUsername) {
    const username = r.field();
    if (username === null) return violation('credential-flags', 'MQTT-3.1.2-19');
    const usernameText = checkText(username);
    if (usernameText) return usernameText;
  }
  if (hasPassword && r.field() === null) return violation('credential-flags', 'MQTT-3.1.2-21');
  if (!r.done) {
    // Bytes after the last flagged field: a user name or password the flags deny.
    if (!hasUsername) return violation('credential-flags', 'MQTT-3.1.2-18');
    if (!hasPassword) return violation('credential-flags', 'MQTT-3.1.2-20');
    return MALFORMED_CONNECT;
  }
  // [MQTT-3.1.3-8] no client id and a persistent session: CONNACK 0x02, then close. Checked
  // last so that a CONNECT which is also malformed is closed without any CONNACK.
  if (clientId.length === 0 && !(flags & 0x02)) return violation('empty-client-id', 'MQTT-3.1.3-8', 0x02);
  return null;
}

function checkConnectFlags(flags: number): ConformanceViolation | null {
  if (flags & 0x01) return violation('reserved-flags', 'MQTT-3.1.2-3');
  const will = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 0x03;
  if (will && willQos === 3) return violation('will-flags', 'MQTT-3.1.2-14');
  if (!will && willQos !== 0) return violation('will-flags', 'MQTT-3.1.2-13');
  if (!will && flags & 0x20) return violation('will-flags', 'MQTT-3.1.2-15');
  if (flags & 0x40 && !(flags & 0x80)) return violation('credential-flags', 'MQTT-3.1.2-22');
  return null;
}

function checkPublish(firstByte: number, r: Reader): ConformanceViolation | null {
  const topic = r.field();
  if (topic === null) return violation('malformed-packet', 'MQTT-4.8.0-1');
  const topicText = checkText(topic);
  if (topicText) return topicText;
  return (firstByte >> 1) & 0x03 ? checkPacketId(r) : null;
}

function checkPacketId(r: Reader): ConformanceViolation | null {
  const id = r.u16();
  if (id === null) return violation('malformed-packet', 'MQTT-4.8.0-1');
  if (id === 0) return violation('packet-id-zero', 'MQTT-2.3.1-1');
  return null;
}

function checkFilters(r: Reader, subscribe: boolean): ConformanceViolation | null {
  const id = checkPacketId(r);
  if (id) return id;
  if (r.done) return violation('no-topic-filters', subscribe ? 'MQTT-3.8.3-3' : 'MQTT-3.10.3-2');
  while (!r.done) {
    const filter = r.field();
    if (filter === null) return violation('malformed-packet', 'MQTT-4.8.0-1');
    const filterText = checkText(filter);
    if (filterText) return filterText;
    if (!subscribe) continue;
    const options = r.u8();
    // [MQTT-3.8.3-4] reserved bits of the requested QoS byte set, or QoS 3: malformed.
    if (options === null || options > 2) return violation('malformed-packet', options === null ? 'MQTT-4.8.0-1' : 'MQTT-3.8.3-4');
  }
  return null;
}
