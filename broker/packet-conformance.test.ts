import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import * as raw from './packet-conformance-fixtures.ts';
import { bodyBytesNeeded, checkPacket, connectKeepAlive } from './packet-conformance.ts';

const SN = 'MTB2411000123';
const SURROGATE = Buffer.from([0xed, 0xa0, 0x80]);
const OVERLONG_SLASH = Buffer.from([0xc0, 0xaf]);
const withBytes = (text: string, bad: Buffer) => Buffer.concat([Buffer.from(text), bad]);
const goodConnect = (spec: Partial<raw.ConnectSpec> = {}) => raw.connect({ clientId: SN, username: SN, password: 'secret', ...spec });

const connectClause = (spec: Partial<raw.ConnectSpec>) => checkPacket(goodConnect(spec), true)?.clause ?? null;
const laterClause = (packet: Buffer) => checkPacket(packet, false)?.clause ?? null;

describe('MQTT 3.1.1 packet conformance', () => {
  it('accepts what a standard client sends', () => {
    const packets: Array<[Buffer, boolean]> = [
      [
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clientId: SN,
          username: SN,
          password: Buffer.from('s'),
          clean: false,
          keepalive: 30,
          will: { topic: `mtbox/${SN}/status`, payload: Buffer.from('{}'), qos: 1, retain: true },
        }),
        true,
      ],
      [mqttPacket.generate({ cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clientId: SN, clean: true, keepalive: 0 }), true],
      [mqttPacket.generate({ cmd: 'publish', topic: `mtbox/${SN}/fault`, payload: '{}', qos: 1, messageId: 1, dup: true, retain: false }), false],
      [mqttPacket.generate({ cmd: 'publish', topic: 'é/ü/€/😀', payload: Buffer.alloc(0), qos: 0, dup: false, retain: true }), false],
      [
        mqttPacket.generate({
          cmd: 'subscribe',
          messageId: 2,
          subscriptions: [
            { topic: `mtbox/${SN}/cmd/req`, qos: 1 },
            { topic: 'a/#', qos: 2 },
          ],
        }),
        false,
      ],
      [mqttPacket.generate({ cmd: 'unsubscribe', messageId: 3, unsubscriptions: [`mtbox/${SN}/cmd/req`] }), false],
      [mqttPacket.generate({ cmd: 'puback', messageId: 65535 }), false],
      [mqttPacket.generate({ cmd: 'pubrec', messageId: 4 }), false],
      [mqttPacket.generate({ cmd: 'pubrel', messageId: 4 }), false],
      [mqttPacket.generate({ cmd: 'pubcomp', messageId: 4 }), false],
      [mqttPacket.generate({ cmd: 'pingreq' }), false],
      [mqttPacket.generate({ cmd: 'disconnect' }), false],
    ];
    for (const [packet, first] of packets) expect(checkPacket(packet, first)).toBeNull();
  });

  it('refuses ill-formed UTF-8 in the client id, user name and will topic [MQTT-1.5.3-1]', () => {
    expect(connectClause({ clientId: withBytes('MTB', SURROGATE) })).toBe('MQTT-1.5.3-1');
    expect(connectClause({ clientId: withBytes('MTB', OVERLONG_SLASH) })).toBe('MQTT-1.5.3-1');
    expect(connectClause({ clientId: withBytes('MTB', Buffer.from([0xf4, 0x90, 0x80, 0x80])) })).toBe('MQTT-1.5.3-1');
    expect(connectClause({ username: withBytes(SN, Buffer.from([0xc3])) })).toBe('MQTT-1.5.3-1');
    expect(connectClause({ will: { topic: withBytes('mtbox/', SURROGATE) } })).toBe('MQTT-1.5.3-1');
  });

  it('refuses ill-formed UTF-8 in topic names and filters [MQTT-1.5.3-1]', () => {
    expect(laterClause(raw.publish({ topic: withBytes('mtbox/', SURROGATE) }))).toBe('MQTT-1.5.3-1');
    expect(laterClause(raw.subscribe(1, [[withBytes('mtbox/', OVERLONG_SLASH), 1]]))).toBe('MQTT-1.5.3-1');
    expect(laterClause(raw.unsubscribe(1, ['ok', withBytes('x', SURROGATE)]))).toBe('MQTT-1.5.3-1');
  });

  it('refuses U+0000 in any of them [MQTT-1.5.3-2]', () => {
    expect(connectClause({ clientId: `${SN}\0` })).toBe('MQTT-1.5.3-2');
    expect(connectClause({ username: `\0${SN}` })).toBe('MQTT-1.5.3-2');
    expect(connectClause({ will: { topic: 'mtbox/\0' } })).toBe('MQTT-1.5.3-2');
    expect(laterClause(raw.publish({ topic: 'a\0b' }))).toBe('MQTT-1.5.3-2');
    expect(laterClause(raw.subscribe(1, [['a\0', 0]]))).toBe('MQTT-1.5.3-2');
    expect(laterClause(raw.unsubscribe(1, ['\0']))).toBe('MQTT-1.5.3-2');
  });

  it('does not read user names or passwords as text', () => {
    expect(connectClause({ password: Buffer.from([0x00, 0xff, 0xed, 0xa0, 0x80]) })).toBeNull();
  });

  it('refuses a Will QoS of 3, and will QoS or retain without a will [MQTT-3.1.2-14, -13, -15]', () => {
    expect(connectClause({ will: { topic: 't', qos: 3 } })).toBe('MQTT-3.1.2-14');
    expect(connectClause({ flags: 0xc2 | (1 << 3) })).toBe('MQTT-3.1.2-13');
    expect(connectClause({ flags: 0xc2 | 0x20 })).toBe('MQTT-3.1.2-15');
  });

  it('refuses user name and password flags that contradict the payload [MQTT-3.1.2-18…22]', () => {
    // user name present, flag clear
    expect(connectClause({ username: undefined, password: undefined, trailing: raw.field(SN) })).toBe('MQTT-3.1.2-18');
    // flag set, user name missing
    expect(checkPacket(raw.connect({ clientId: SN, flags: 0x82 }), true)?.clause).toBe('MQTT-3.1.2-19');
    // password present, flag clear
    expect(connectClause({ password: undefined, trailing: raw.field('secret') })).toBe('MQTT-3.1.2-20');
    // flag set, password missing
    expect(checkPacket(raw.connect({ clientId: SN, username: SN, flags: 0xc2 }), true)?.clause).toBe('MQTT-3.1.2-21');
    // password flag without user name flag
    expect(checkPacket(raw.connect({ clientId: SN, password: 'secret' }), true)?.clause).toBe('MQTT-3.1.2-22');
  });

  it('refuses the reserved CONNECT flag [MQTT-3.1.2-3]', () => {
    expect(connectClause({ flags: 0xc3 })).toBe('MQTT-3.1.2-3');
  });

  it('answers a zero-length client id with clean session 0 with CONNACK 0x02 [MQTT-3.1.3-8]', () => {
    expect(checkPacket(goodConnect({ clientId: '', clean: false }), true)).toEqual({ kind: 'empty-client-id', clause: 'MQTT-3.1.3-8', connack: 2 });
    expect(checkPacket(goodConnect({ clientId: '', clean: true }), true)).toBeNull();
    // Malformed as well: closed without a CONNACK.
    expect(checkPacket(goodConnect({ clientId: '', clean: false, trailing: Buffer.from([1]) }), true)?.connack).toBeUndefined();
  });

  it('answers another protocol level, MQTT 5 included, with CONNACK 0x01 [MQTT-3.1.2-2]', () => {
    const v5 = mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: SN, clean: true, keepalive: 0 });
    expect(checkPacket(v5, true)).toEqual({ kind: 'unsupported-protocol', clause: 'MQTT-3.1.2-2', connack: 1 });
    expect(checkPacket(raw.connect({ clientId: SN, level: 6 }), true)?.connack).toBe(1);
    expect(checkPacket(raw.connect({ clientId: SN, protocolName: 'HTTP' }), true)).toEqual({ kind: 'malformed-packet', clause: 'MQTT-3.1.2-1' });
  });

  it('refuses a truncated CONNECT without a CONNACK [MQTT-3.1.4-1]', () => {
    const whole = goodConnect();
    const body = whole.subarray(2, 14);
    expect(checkPacket(raw.packet(0x10, body), true)).toEqual({ kind: 'malformed-packet', clause: 'MQTT-3.1.4-1' });
  });

  it('refuses packet identifier 0 wherever a packet carries one [MQTT-2.3.1-1]', () => {
    expect(laterClause(raw.publish({ topic: 't', qos: 1, id: 0 }))).toBe('MQTT-2.3.1-1');
    expect(laterClause(raw.publish({ topic: 't', qos: 2, id: 0 }))).toBe('MQTT-2.3.1-1');
    for (const type of [raw.PUBACK, raw.PUBREC, raw.PUBREL, raw.PUBCOMP]) expect(laterClause(raw.ack(type, 0))).toBe('MQTT-2.3.1-1');
    expect(laterClause(raw.subscribe(0, [['t', 0]]))).toBe('MQTT-2.3.1-1');
    expect(laterClause(raw.unsubscribe(0, ['t']))).toBe('MQTT-2.3.1-1');
    // A QoS 0 PUBLISH has no packet identifier: its payload may start with two zero bytes.
    expect(laterClause(raw.publish({ topic: 't', payload: Buffer.from([0, 0]) }))).toBeNull();
  });

  it('refuses SUBSCRIBE and UNSUBSCRIBE without topic filters [MQTT-3.8.3-3, MQTT-3.10.3-2]', () => {
    expect(laterClause(raw.subscribe(1, []))).toBe('MQTT-3.8.3-3');
    expect(laterClause(raw.unsubscribe(1, []))).toBe('MQTT-3.10.3-2');
  });

  it('refuses a requested QoS of 3 or reserved bits in it [MQTT-3.8.3-4]', () => {
    expect(laterClause(raw.subscribe(1, [['t', 3]]))).toBe('MQTT-3.8.3-4');
    expect(laterClause(raw.subscribe(1, [['t', 0x81]]))).toBe('MQTT-3.8.3-4');
  });

  it('refuses reserved fixed-header flag bits [MQTT-2.2.2-2]', () => {
    expect(laterClause(raw.subscribe(1, [['t', 0]], 0x00))).toBe('MQTT-2.2.2-2');
    expect(laterClause(raw.unsubscribe(1, ['t'], 0x03))).toBe('MQTT-2.2.2-2');
    expect(laterClause(raw.ack(raw.PUBREL, 1, undefined, 0x00))).toBe('MQTT-2.2.2-2');
    expect(laterClause(raw.ack(raw.PUBACK, 1, undefined, 0x02))).toBe('MQTT-2.2.2-2');
    expect(laterClause(raw.packet(0xc1))).toBe('MQTT-2.2.2-2');
    expect(laterClause(raw.packet(0xe8))).toBe('MQTT-2.2.2-2');
    expect(checkPacket(raw.connect({ clientId: SN }).fill(0x12, 0, 1), true)?.clause).toBe('MQTT-2.2.2-2');
  });

  it('refuses a second CONNECT [MQTT-3.1.0-2]', () => {
    expect(checkPacket(goodConnect(), false)?.clause).toBe('MQTT-3.1.0-2');
  });

  it('refuses a QoS 0 PUBLISH with DUP set, and a PUBLISH with both QoS bits set [MQTT-3.3.1-2, MQTT-3.3.1-4]', () => {
    expect(laterClause(raw.publish({ topic: 't', dup: true }))).toBe('MQTT-3.3.1-2');
    expect(laterClause(raw.publish({ topic: 't', qos: 3, id: 1 }))).toBe('MQTT-3.3.1-4');
  });

  it('refuses acknowledgements, PINGREQ and DISCONNECT of the wrong length [MQTT-4.8.0-1]', () => {
    for (const type of [raw.PUBACK, raw.PUBREC, raw.PUBREL, raw.PUBCOMP]) {
      expect(laterClause(raw.ack(type, 7, Buffer.from([0])))).toBe('MQTT-4.8.0-1');
      expect(laterClause(raw.packet((type << 4) | (type === raw.PUBREL ? 2 : 0), Buffer.from([7])))).toBe('MQTT-4.8.0-1');
    }
    expect(checkPacket(raw.pingreq(Buffer.from([0])), false)?.kind).toBe('wrong-remaining-length');
    expect(checkPacket(raw.disconnect(Buffer.from([0])), false)?.kind).toBe('wrong-remaining-length');
  });

  it('refuses packets only a server sends, and the reserved types [MQTT-4.8.0-1]', () => {
    for (const first of [0x00, 0x20, 0x90, 0xb0, 0xd0, 0xf0]) {
      expect(checkPacket(raw.packet(first), false)?.kind).toBe('unexpected-packet-type');
    }
  });

  it('refuses a topic that runs past the end of the packet', () => {
    const publish = raw.publish({ topic: 'mtbox/x/telemetry', payload: '' });
    expect(checkPacket(raw.packet(0x30, publish.subarray(2, 8)), false)?.kind).toBe('malformed-packet');
    expect(checkPacket(raw.packet(0x32, raw.field('t')), false)?.kind).toBe('malformed-packet');
  });

  it('reads only the topic and packet id of a PUBLISH, not its payload', () => {
    const packet = raw.publish({ topic: 'mtbox/x/telemetry', qos: 1, id: 9, payload: Buffer.alloc(60_000) });
    const first = packet[0]!;
    const length = packet.length - 4; // 1 type byte + 3 length bytes
    expect(bodyBytesNeeded(first, length, Buffer.alloc(0))).toBe(2);
    expect(bodyBytesNeeded(first, length, packet.subarray(4, 6))).toBe(2 + 'mtbox/x/telemetry'.length + 2);
  });

  it('reads the keep-alive of a CONNECT', () => {
    expect(connectKeepAlive(goodConnect({ keepAlive: 0 }).subarray(2))).toBe(0);
    expect(connectKeepAlive(goodConnect({ keepAlive: 65535 }).subarray(2))).toBe(65535);
  });
});
