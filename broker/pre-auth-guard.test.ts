import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
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
});
