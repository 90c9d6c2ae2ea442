import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import * as raw from './packet-conformance-fixtures.ts';
import { checkPacket, type ConformanceViolation } from './packet-conformance.ts';
import { createPacketGuard, type GuardViolation } from './pre-auth-guard.ts';

function guard(maxPacketBytes = 1000, maxConnectBytes = 200) {
  const violations: Array<[GuardViolation, number | null]> = [];
  const inspect = createPacketGuard({ maxPacketBytes, maxConnectBytes, onViolation: (v, d) => violations.push([v, d]) });
  return { inspect, violations };
}

const connect = mqttPacket.generate({
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clientId: 'MTB2411000123',
  clean: true,
  keepalive: 30,
  username: 'MTB2411000123',
  password: Buffer.from('secret'),
});
const publish = (size: number) =>
  mqttPacket.generate({ cmd: 'publish', topic: 'mtbox/MTB2411000123/telemetry', payload: Buffer.alloc(size), qos: 0, dup: false, retain: false });

describe('pre-auth packet guard', () => {
  it('lets a CONNECT followed by normal publishes through, even split at every byte', () => {
    const { inspect, violations } = guard();
    const stream = Buffer.concat([connect, publish(10), publish(900), mqttPacket.generate({ cmd: 'pingreq' })]);
    for (let i = 0; i < stream.length; i++) expect(inspect(stream.subarray(i, i + 1))).toBe(true);
    expect(violations).toEqual([]);
  });

  it('refuses a first packet that is not a CONNECT', () => {
    const { inspect, violations } = guard();
    expect(inspect(publish(10))).toBe(false);
    expect(violations).toEqual([['first-packet-not-connect', null]]);
  });

  it('refuses a 200 MB declared length from the header alone, before any body byte', () => {
    const { inspect, violations } = guard();
    // CONNECT type byte + remaining length 200,000,000 as a 4-byte varint, no body.
    const header = Buffer.from([0x10, 0x80, 0x84, 0xaf, 0x5f]);
    expect(inspect(header)).toBe(false);
    expect(violations).toEqual([['packet-too-large', 200_000_000]]);
  });

  it('refuses a later packet whose declared length exceeds the maximum', () => {
    const { inspect, violations } = guard(1000);
    expect(inspect(connect)).toBe(true);
    expect(inspect(publish(2000).subarray(0, 4))).toBe(false);
    expect(violations[0]?.[0]).toBe('packet-too-large');
  });

  it('refuses a remaining length encoded in more than four bytes', () => {
    const { inspect, violations } = guard();
    expect(inspect(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(false);
    expect(violations).toEqual([['malformed-length', null]]);
  });

  it('keeps refusing once it has refused', () => {
    const { inspect } = guard();
    inspect(publish(1));
    expect(inspect(connect)).toBe(false);
  });

  it('refuses a packet that breaks an MQTT 3.1.1 rule only once its last byte has arrived', () => {
    const seen: ConformanceViolation[] = [];
    const inspect = createPacketGuard({ maxPacketBytes: 1000, maxConnectBytes: 200, onViolation: (_v, _d, c) => c && seen.push(c) });
    expect(inspect(connect)).toBe(true);
    const bad = raw.publish({ topic: 'mtbox/MTB2411000123/telemetry', qos: 1, id: 0, payload: Buffer.alloc(300) });
    // Topic and packet id are in, the payload is not: aedes has no complete packet yet.
    expect(inspect(bad.subarray(0, bad.length - 1))).toBe(true);
    expect(seen).toEqual([]);
    expect(inspect(bad.subarray(bad.length - 1))).toBe(false);
    expect(seen).toEqual([{ kind: 'packet-id-zero', clause: 'MQTT-2.3.1-1' }]);
  });

  it('decides like the whole-packet check however the bytes are split', () => {
    const later = [
      raw.publish({ topic: 'mtbox/a/telemetry', payload: Buffer.alloc(500) }),
      raw.publish({ topic: Buffer.from([0x61, 0xed, 0xa0, 0x80]), qos: 1, id: 3 }),
      raw.publish({ topic: 'a', qos: 2, id: 0, payload: '' }),
      raw.publish({ topic: 'a', dup: true }),
      raw.subscribe(1, [
        ['a/+', 1],
        ['b\0', 0],
      ]),
      raw.subscribe(1, []),
      raw.unsubscribe(2, ['a']),
      raw.ack(raw.PUBREL, 5, undefined, 0),
      raw.ack(raw.PUBCOMP, 5, Buffer.from([1])),
      raw.pingreq(),
      raw.disconnect(Buffer.from([0])),
      connect,
    ];
    for (const packet of later) {
      for (const step of [1, 3, 1000]) {
        let reported: ConformanceViolation | null = null;
        const inspect = createPacketGuard({ maxPacketBytes: 1000, maxConnectBytes: 200, onViolation: (_v, _d, c) => (reported = c ?? null) });
        inspect(connect);
        let ok = true;
        for (let i = 0; i < packet.length && ok; i += step) ok = inspect(packet.subarray(i, i + step));
        expect(reported).toEqual(checkPacket(packet, false));
        expect(ok).toBe(reported === null);
      }
    }
  });

  it('reports the keep-alive a conforming CONNECT asks for', () => {
    const asked: number[] = [];
    const inspect = createPacketGuard({ maxPacketBytes: 1000, maxConnectBytes: 200, onViolation: () => {}, onConnect: (k) => asked.push(k) });
    const zero = raw.connect({ clientId: 'MTB2411000123', keepAlive: 0 });
    for (let i = 0; i < zero.length; i++) inspect(zero.subarray(i, i + 1));
    expect(asked).toEqual([0]);
  });

  it('asks for a CONNACK 0x02 before closing a persistent session without a client id', () => {
    const seen: Array<ConformanceViolation | undefined> = [];
    const inspect = createPacketGuard({ maxPacketBytes: 1000, maxConnectBytes: 200, onViolation: (_v, _d, c) => seen.push(c) });
    expect(inspect(raw.connect({ clientId: '', clean: false }))).toBe(false);
    expect(seen).toEqual([{ kind: 'empty-client-id', clause: 'MQTT-3.1.3-8', connack: 2 }]);
  });
});
