import { generate } from 'mqtt-packet';

/**
 * The few MQTT 3.1.1 bytes the benchmark needs, kept cheap so the load generator and the
 * relay's subscriber are never what limits a run: packets are built once with mqtt-packet
 * and then patched in place, and incoming bytes are only split into frames, not decoded.
 */

export const PACKET = { connack: 2, publish: 3, puback: 4, suback: 9, pingresp: 13 } as const;

export const PINGREQ = Buffer.from([0xc0, 0x00]);

export function connectPacket(serial: string, secret: string, keepalive: number): Buffer {
  return generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    keepalive,
    clientId: serial,
    username: serial,
    password: Buffer.from(secret),
  });
}

export function subscribePacket(filter: string, qos: 0 | 1): Buffer {
  return generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos }] });
}

export function pubackPacket(messageId: number): Buffer {
  return Buffer.from([0x40, 0x02, messageId >> 8, messageId & 0xff]);
}

const SEQ_WIDTH = 10;
const TS_WIDTH = 13;

/**
 * A telemetry PUBLISH whose `ts`, `seq` and packet id can be rewritten without re-encoding.
 * Numbers are right-aligned in space-padded fields: JSON allows the spaces, not leading zeros.
 */
export interface PublishTemplate {
  bytes: Buffer;
  qos: 0 | 1;
  tsAt: number;
  seqAt: number;
  /** Offset of the 2-byte packet id; -1 at QoS 0. */
  idAt: number;
}

export function publishTemplate(topic: string, qos: 0 | 1): PublishTemplate {
  const payload =
    `{"ts":${'#'.repeat(TS_WIDTH)},"seq":${'@'.repeat(SEQ_WIDTH)},` +
    '"metrics":{"supply_voltage":24.1,"board_temp":41.2,"rssi":-71,"cpu_load":0.23,' +
    '"mem_used":48.2,"plc_link":1,"uptime":12345}}';
  const bytes = generate({ cmd: 'publish', topic, payload, qos, dup: false, retain: false, messageId: 0xabcd });
  const tsAt = bytes.indexOf('#'.repeat(TS_WIDTH));
  const seqAt = bytes.indexOf('@'.repeat(SEQ_WIDTH));
  const idAt = qos === 1 ? bytes.indexOf(Buffer.from([0xab, 0xcd])) : -1;
  return { bytes, qos, tsAt, seqAt, idAt };
}

function writePadded(buf: Buffer, at: number, width: number, value: number): void {
  let v = Math.floor(value);
  for (let i = at + width - 1; i >= at; i--) {
    if (v > 0 || i === at + width - 1) {
      buf[i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    } else {
      buf[i] = 0x20;
    }
  }
}

/** Copies the template `count` times into one buffer, stamping ts, seq and packet ids. */
export function stampPublishes(t: PublishTemplate, count: number, ts: number, firstSeq: number, nextId: () => number): Buffer {
  const len = t.bytes.length;
  const out = Buffer.allocUnsafe(len * count);
  for (let k = 0; k < count; k++) {
    const base = k * len;
    t.bytes.copy(out, base);
    writePadded(out, base + t.tsAt, TS_WIDTH, ts);
    writePadded(out, base + t.seqAt, SEQ_WIDTH, firstSeq + k);
    if (t.idAt >= 0) out.writeUInt16BE(nextId(), base + t.idAt);
  }
  return out;
}

export interface Frame {
  type: number;
  flags: number;
  /** The bytes after the fixed header; a view into the chunk or a copied remainder. */
  body: Buffer;
}

/**
 * Splits a byte stream into MQTT frames (fixed header + remaining length, §2.2) without
 * decoding bodies. Keeps at most one partial frame between chunks.
 */
export function frameSplitter(onFrame: (f: Frame) => void): (chunk: Buffer) => void {
  let pending: Buffer | null = null;
  return (chunk) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = null;
    let i = 0;
    while (i < buf.length) {
      let len = 0;
      let mul = 1;
      let j = i + 1;
      let complete = false;
      for (let n = 0; n < 4 && j < buf.length; n++, j++) {
        const b = buf[j]!;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          j++;
          break;
        }
      }
      if (!complete || j + len > buf.length) break;
      const head = buf[i]!;
      onFrame({ type: head >> 4, flags: head & 0x0f, body: buf.subarray(j, j + len) });
      i = j + len;
    }
    if (i < buf.length) pending = Buffer.from(buf.subarray(i));
  };
}
