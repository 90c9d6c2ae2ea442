import net from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as raw from '../broker/packet-conformance-fixtures.ts';
import type { RefusalKind } from '../broker/refusals.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

const SURROGATE = Buffer.from([0xed, 0xa0, 0x80]);
const OVERLONG_SLASH = Buffer.from([0xc0, 0xaf]);
const withBytes = (text: string, bad: Buffer) => Buffer.concat([Buffer.from(text), bad]);
const SETTLE_MS = 5000;

/** A raw MQTT connection: bytes out, server packets in, and whether the server closed it. */
class RawConnection {
  readonly received: Packet[] = [];
  closed = false;
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (p) => {
      this.received.push(p);
      this.wake();
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawConnection(s)));
      s.once('error', reject);
    });
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `done` holds; fails after a bounded time. */
  until(done: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), SETTLE_MS);
      const check = () => {
        if (!done()) return void this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      check();
    });
  }

  has(cmd: Packet['cmd']): boolean {
    return this.received.some((p) => p.cmd === cmd);
  }

  /**
   * Sends `bytes` then a PINGREQ: 'closed' when the server closes the connection, 'open' when
   * it answers the PINGREQ (so it read `bytes` and kept going).
   */
  async outcomeOf(bytes: Buffer): Promise<'closed' | 'open'> {
    const pings = this.received.filter((p) => p.cmd === 'pingresp').length;
    this.socket.write(bytes);
    this.socket.write(raw.pingreq());
    const answered = () => this.received.filter((p) => p.cmd === 'pingresp').length > pings;
    await this.until(() => this.closed || answered(), 'the connection to close or answer PINGREQ');
    return this.closed ? 'closed' : 'open';
  }

  close() {
    this.socket.destroy();
  }
}

type Connack = { returnCode: number } | null;

/**
 * Sends a CONNECT on a fresh connection. `accepted` when CONNACK 0 arrives, otherwise waits for
 * the close and reports the CONNACK return code sent before it, if any.
 */
async function connectOutcome(port: number, bytes: Buffer): Promise<{ outcome: 'accepted' | 'closed'; connack: Connack }> {
  const c = await RawConnection.open(port);
  c.socket.write(bytes);
  const connack = () => (c.received.find((p) => p.cmd === 'connack') as { returnCode: number } | undefined) ?? null;
  await c.until(() => c.closed || connack()?.returnCode === 0, 'CONNACK 0 or a close');
  const result = { outcome: c.closed ? ('closed' as const) : ('accepted' as const), connack: connack() && { returnCode: connack()!.returnCode } };
  c.close();
  return result;
}

const ACCEPTED = { outcome: 'accepted', connack: { returnCode: 0 } };
const CLOSED_WITHOUT_CONNACK = { outcome: 'closed', connack: null };

describe('MQTT 3.1.1 conformance at the edge', () => {
  let backend: TestBackend;
  let sn: string;
  let secret: string;
  const port = () => backend.app.mqttPort;
  const count = (kind: RefusalKind) => backend.app.broker.stats().refusals[kind];
  const telemetry = () => `mtbox/${sn}/telemetry`;
  const box = (spec: Partial<raw.ConnectSpec> = {}) => raw.connect({ clientId: sn, username: sn, password: secret, ...spec });
  /** Counts refusals of `kind` while `run` runs. */
  async function refusalsDuring(kind: RefusalKind, run: () => Promise<void>): Promise<number> {
    const before = count(kind);
    await run();
    return count(kind) - before;
  }
  /** A box connection that has its CONNACK 0. */
  async function connected(): Promise<RawConnection> {
    const c = await RawConnection.open(port());
    c.socket.write(box());
    await c.until(() => c.has('connack') || c.closed, 'CONNACK');
    expect(c.received[0]).toMatchObject({ cmd: 'connack', returnCode: 0 });
    return c;
  }
  /** Sends `bytes` after CONNECT on a fresh box connection and tells whether it stayed open. */
  async function afterConnect(bytes: Buffer): Promise<{ outcome: 'closed' | 'open'; received: Packet['cmd'][] }> {
    const c = await connected();
    const outcome = await c.outcomeOf(bytes);
    c.close();
    // Answers to different packet types come in no set order (aedes authorizes a SUBSCRIBE
    // asynchronously and answers a PINGREQ at once), so they are compared as a set.
    return {
      outcome,
      received: c.received
        .slice(1)
        .map((p) => p.cmd)
        .sort(),
    };
  }

  beforeAll(async () => {
    backend = await startTestBackend();
    [{ serial: sn, secret }] = (await backend.app.provision(['MTB2711000301'])) as [{ serial: string; secret: string }];
  });
  afterAll(() => backend.stop());

  it('closes a CONNECT with ill-formed UTF-8 in client id, user name or will topic, without a CONNACK [MQTT-1.5.3-1]', async () => {
    expect(await connectOutcome(port(), box({ will: { topic: `mtbox/${sn}/status`, qos: 1, retain: true } }))).toEqual(ACCEPTED);
    const refused = await refusalsDuring('invalid-utf8', async () => {
      // An encoded surrogate (ED A0 80), an overlong '/' (C0 AF), a truncated sequence.
      expect(await connectOutcome(port(), box({ clientId: withBytes(sn, SURROGATE) }))).toEqual(CLOSED_WITHOUT_CONNACK);
      expect(await connectOutcome(port(), box({ username: withBytes(sn, OVERLONG_SLASH) }))).toEqual(CLOSED_WITHOUT_CONNACK);
      const will = { topic: withBytes(`mtbox/${sn}/status`, Buffer.from([0xe2, 0x82])), qos: 1 };
      expect(await connectOutcome(port(), box({ will }))).toEqual(CLOSED_WITHOUT_CONNACK);
    });
    expect(refused).toBe(3);
  });

  it('closes a connection that publishes or (un)subscribes with ill-formed UTF-8 in a topic [MQTT-1.5.3-1]', async () => {
    const filter = `mtbox/${sn}/cmd/req`;
    expect(await afterConnect(raw.publish({ topic: telemetry(), qos: 1, id: 1 }))).toEqual({ outcome: 'open', received: ['pingresp', 'puback'] });
    expect(await afterConnect(raw.subscribe(1, [[filter, 1]]))).toEqual({ outcome: 'open', received: ['pingresp', 'suback'] });
    expect(await afterConnect(raw.unsubscribe(1, [filter]))).toEqual({ outcome: 'open', received: ['pingresp', 'unsuback'] });
    const refused = await refusalsDuring('invalid-utf8', async () => {
      expect(await afterConnect(raw.publish({ topic: withBytes(telemetry(), SURROGATE), qos: 1, id: 1 }))).toEqual({
        outcome: 'closed',
        received: [],
      });
      expect(await afterConnect(raw.subscribe(1, [[withBytes(filter, SURROGATE), 1]]))).toEqual({ outcome: 'closed', received: [] });
      expect(await afterConnect(raw.unsubscribe(1, [withBytes(filter, OVERLONG_SLASH)]))).toEqual({ outcome: 'closed', received: [] });
    });
    expect(refused).toBe(3);
  });

  it('closes a connection whose client id, user name or topics hold U+0000 [MQTT-1.5.3-2]', async () => {
    const refused = await refusalsDuring('utf8-null', async () => {
      expect(await connectOutcome(port(), box({ clientId: `${sn}\0` }))).toEqual(CLOSED_WITHOUT_CONNACK);
      expect(await connectOutcome(port(), box({ username: `${sn}\0` }))).toEqual(CLOSED_WITHOUT_CONNACK);
      expect(await connectOutcome(port(), box({ will: { topic: `mtbox/${sn}/status\0` } }))).toEqual(CLOSED_WITHOUT_CONNACK);
      expect((await afterConnect(raw.publish({ topic: `${telemetry()}\0` }))).outcome).toBe('closed');
      expect((await afterConnect(raw.subscribe(1, [[`mtbox/${sn}/cmd/req\0`, 1]]))).outcome).toBe('closed');
      expect((await afterConnect(raw.unsubscribe(1, ['\0']))).outcome).toBe('closed');
    });
    expect(refused).toBe(6);
    // U+0000 inside a payload is data, not a topic.
    expect((await afterConnect(raw.publish({ topic: telemetry(), payload: Buffer.from([0]) }))).outcome).toBe('open');
  });

  it('closes a CONNECT with a Will QoS of 3 [MQTT-3.1.2-14]', async () => {
    const will = (qos: number) => box({ will: { topic: `mtbox/${sn}/status`, qos, retain: true } });
    expect(await connectOutcome(port(), will(2))).toEqual(ACCEPTED);
    expect(await refusalsDuring('will-flags', async () => expect(await connectOutcome(port(), will(3))).toEqual(CLOSED_WITHOUT_CONNACK))).toBe(1);
  });

  it('closes a CONNECT whose user name and password flags contradict its payload [MQTT-3.1.2-18, -19, -20, -21, -22]', async () => {
    expect(await connectOutcome(port(), box())).toEqual(ACCEPTED);
    const contradictions = [
      raw.connect({ clientId: sn, password: secret, flags: 0x42, trailing: raw.field(sn) }), // -22: password flag alone
      raw.connect({ clientId: sn, trailing: Buffer.concat([raw.field(sn), raw.field(secret)]) }), // -18: no user name flag
      raw.connect({ clientId: sn, flags: 0xc2 }), // -19 and -21: flags set, fields missing
      raw.connect({ clientId: sn, username: sn, trailing: raw.field(secret) }), // -20: no password flag
      raw.connect({ clientId: sn, username: sn, flags: 0xc2 }), // -21: password missing
    ];
    const refused = await refusalsDuring('credential-flags', async () => {
      for (const bytes of contradictions) expect(await connectOutcome(port(), bytes)).toEqual(CLOSED_WITHOUT_CONNACK);
    });
    expect(refused).toBe(contradictions.length);
  });

  it('closes a connection that uses packet identifier 0 [MQTT-2.3.1-1]', async () => {
    const withId = (id: number) => [
      raw.publish({ topic: telemetry(), qos: 1, id }),
      raw.publish({ topic: telemetry(), qos: 2, id }),
      raw.ack(raw.PUBACK, id),
      raw.ack(raw.PUBREC, id),
      raw.ack(raw.PUBREL, id),
      raw.ack(raw.PUBCOMP, id),
      raw.subscribe(id, [[`mtbox/${sn}/cmd/req`, 1]]),
      raw.unsubscribe(id, [`mtbox/${sn}/cmd/req`]),
    ];
    for (const bytes of withId(7)) expect((await afterConnect(bytes)).outcome).toBe('open');
    const refused = await refusalsDuring('packet-id-zero', async () => {
      for (const bytes of withId(0)) expect(await afterConnect(bytes)).toEqual({ outcome: 'closed', received: [] });
    });
    expect(refused).toBe(8);
  });

  it('closes a connection that sends a SUBSCRIBE without topic filters [MQTT-3.8.3-3]', async () => {
    expect((await afterConnect(raw.subscribe(3, [[`mtbox/${sn}/cmd/req`, 1]]))).outcome).toBe('open');
    expect(await refusalsDuring('no-topic-filters', async () => expect((await afterConnect(raw.subscribe(3, []))).outcome).toBe('closed'))).toBe(1);
  });

  it('closes a connection that sends an UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]', async () => {
    expect((await afterConnect(raw.unsubscribe(3, [`mtbox/${sn}/cmd/req`]))).outcome).toBe('open');
    const refused = await refusalsDuring('no-topic-filters', async () =>
      expect(await afterConnect(raw.unsubscribe(3, []))).toEqual({ outcome: 'closed', received: [] }),
    );
    expect(refused).toBe(1);
  });

  it('closes a connection that sets reserved fixed-header flag bits [MQTT-2.2.2-2]', async () => {
    const filter = `mtbox/${sn}/cmd/req`;
    const [valid, reserved] = [
      [raw.subscribe(4, [[filter, 1]]), raw.subscribe(4, [[filter, 1]], 0x00)],
      [raw.unsubscribe(4, [filter]), raw.unsubscribe(4, [filter], 0x0a)],
      [raw.ack(raw.PUBREL, 4), raw.ack(raw.PUBREL, 4, undefined, 0x00)],
      [raw.ack(raw.PUBACK, 4), raw.ack(raw.PUBACK, 4, undefined, 0x02)],
      [raw.pingreq(), raw.packet(0xc1)],
    ].reduce<[Buffer[], Buffer[]]>(
      ([v, r], [good, bad]) => [
        [...v, good!],
        [...r, bad!],
      ],
      [[], []],
    );
    for (const bytes of valid) expect((await afterConnect(bytes)).outcome).toBe('open');
    const refused = await refusalsDuring('reserved-flags', async () => {
      for (const bytes of reserved) expect((await afterConnect(bytes)).outcome).toBe('closed');
      expect(await connectOutcome(port(), Buffer.concat([Buffer.from([0x11]), box().subarray(1)]))).toEqual(CLOSED_WITHOUT_CONNACK);
      expect(await connectOutcome(port(), box({ flags: 0xc3 }))).toEqual(CLOSED_WITHOUT_CONNACK); // [MQTT-3.1.2-3]
    });
    expect(refused).toBe(reserved.length + 2);
  });

  it('closes a connection that sends a second CONNECT [MQTT-3.1.0-2]', async () => {
    const c = await connected();
    expect(await refusalsDuring('second-connect', async () => expect(await c.outcomeOf(box())).toBe('closed'))).toBe(1);
    // Only the first CONNACK: the second CONNECT never reached the broker.
    expect(c.received.map((p) => p.cmd)).toEqual(['connack']);
  });

  it('answers a zero-length client id with clean session 0 with CONNACK 0x02, then closes [MQTT-3.1.3-8]', async () => {
    expect(await connectOutcome(port(), box({ clean: false }))).toEqual(ACCEPTED);
    const badSerials = count('bad-serial');
    const refused = await refusalsDuring('empty-client-id', async () => {
      // A user name that is no serial: without this rule authentication would answer 0x04.
      const c = await RawConnection.open(port());
      c.socket.write(raw.connect({ clientId: '', clean: false, username: 'someone', password: 'x' }));
      await c.until(() => c.closed, 'the close');
      expect(c.received).toEqual([expect.objectContaining({ cmd: 'connack', returnCode: 2 })]);
    });
    expect(refused).toBe(1);
    expect(count('bad-serial')).toBe(badSerials);
  });

  it('closes a connection that publishes at QoS 0 with DUP set [MQTT-3.3.1-2]', async () => {
    expect((await afterConnect(raw.publish({ topic: telemetry() }))).outcome).toBe('open');
    expect(await afterConnect(raw.publish({ topic: telemetry(), qos: 1, dup: true, id: 9 }))).toEqual({
      outcome: 'open',
      received: ['pingresp', 'puback'],
    });
    const refused = await refusalsDuring('dup-at-qos-0', async () =>
      expect((await afterConnect(raw.publish({ topic: telemetry(), dup: true }))).outcome).toBe('closed'),
    );
    expect(refused).toBe(1);
  });

  it('closes a connection that sends acknowledgements, PINGREQ or DISCONNECT of the wrong length [MQTT-4.8.0-1]', async () => {
    const acks = [raw.PUBACK, raw.PUBREC, raw.PUBREL, raw.PUBCOMP];
    for (const type of acks) expect((await afterConnect(raw.ack(type, 5))).outcome).toBe('open');
    const wrong = [
      ...acks.map((type) => raw.ack(type, 5, Buffer.from([0]))),
      ...acks.map((type) => raw.packet((type << 4) | (type === raw.PUBREL ? 0x02 : 0), Buffer.from([5]))),
      raw.pingreq(Buffer.from([0])),
      raw.disconnect(Buffer.from([0])),
    ];
    const refused = await refusalsDuring('wrong-remaining-length', async () => {
      for (const bytes of wrong) expect(await afterConnect(bytes)).toEqual({ outcome: 'closed', received: [] });
    });
    expect(refused).toBe(wrong.length);
  });

  it('treats a DISCONNECT of the wrong length as a violation, so the Will is published [MQTT-4.8.0-1]', async () => {
    const wills: string[] = [];
    const onPublish = (packet: { topic: string; payload: Buffer | string }) => {
      if (packet.topic === `mtbox/${sn}/status`) wills.push(packet.payload.toString());
    };
    backend.app.broker.aedes.on('publish', onPublish);
    try {
      // Each connection's Will is told apart by its ts.
      for (const [ts, body] of [
        [1, Buffer.alloc(0)],
        [2, Buffer.from([0])],
      ] as const) {
        const c = await RawConnection.open(port());
        c.socket.write(box({ will: { topic: `mtbox/${sn}/status`, payload: `{"state":"offline","ts":${ts}}`, qos: 1, retain: true } }));
        await c.until(() => c.has('connack'), 'CONNACK');
        c.socket.write(raw.disconnect(body));
        await c.until(() => c.closed, 'the close');
      }
      // The well-formed DISCONNECT came first and discarded its Will [MQTT-3.14.4-3].
      await waitFor(() => wills.length > 0, { what: 'the Will' });
      expect(wills).toEqual(['{"state":"offline","ts":2}']);
    } finally {
      backend.app.broker.aedes.removeListener('publish', onPublish);
    }
  });

  it('still serves a box after all of these refusals', async () => {
    const c = await connected();
    expect(
      await c.outcomeOf(
        raw.publish({ topic: telemetry(), qos: 1, id: 11, payload: JSON.stringify({ ts: Date.now(), seq: 1, metrics: { rssi: -70 } }) }),
      ),
    ).toBe('open');
    expect(c.has('puback')).toBe(true);
    c.close();
  });
});

describe('keep-alive without a reserved return code', () => {
  let backend: TestBackend;
  let boxes: Array<{ serial: string; secret: string }>;
  const port = () => backend.app.mqttPort;
  const shadow = async (serial: string) => backend.app.shadows.get((await backend.app.registry.findBySerial(serial))!.id);

  beforeAll(async () => {
    // The idle limit for a box without keep-alive is 1.5 × KEEPALIVE_MAX_S.
    backend = await startTestBackend({ KEEPALIVE_MAX_S: '1' });
    boxes = await backend.app.provision(['MTB2711000401', 'MTB2711000402', 'MTB2711000403', 'MTB2711000404']);
  });
  afterAll(() => backend.stop());

  const connectWith = (i: number, keepAlive: number) => {
    const { serial, secret } = boxes[i]!;
    return raw.connect({ clientId: serial, username: serial, password: secret, keepAlive });
  };

  it('accepts keep-alive 0 and closes the connection after 1.5 × KEEPALIVE_MAX_S of silence [MQTT-3.2.2-6]', async () => {
    const c = await RawConnection.open(port());
    const sentAt = Date.now();
    c.socket.write(connectWith(0, 0));
    await c.until(() => c.has('connack') || c.closed, 'CONNACK');
    expect(c.received[0]).toMatchObject({ cmd: 'connack', returnCode: 0 });
    await waitFor(async () => (await shadow(boxes[0]!.serial))?.online, { what: 'online' });
    await c.until(() => c.closed, 'the idle close');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1450);
    await waitFor(async () => (await shadow(boxes[0]!.serial))?.online === false, { what: 'offline after the idle close' });
  });

  it('accepts a keep-alive above KEEPALIVE_MAX_S and holds it to the server limit', async () => {
    const c = await RawConnection.open(port());
    c.socket.write(connectWith(1, 65535));
    await c.until(() => c.has('connack') || c.closed, 'CONNACK');
    expect(c.received[0]).toMatchObject({ cmd: 'connack', returnCode: 0 });
    await c.until(() => c.closed, 'the idle close');
  });

  it('keeps a connection without keep-alive open while the box talks', async () => {
    const c = await RawConnection.open(port());
    c.socket.write(connectWith(2, 0));
    await c.until(() => c.has('connack'), 'CONNACK');
    // The box pings every 0.4 s; six answers take 2.4 s, longer than the 1.5 s idle limit.
    const pinging = setInterval(() => c.socket.write(raw.pingreq()), 400);
    const answers = () => c.received.filter((p) => p.cmd === 'pingresp').length;
    try {
      await c.until(() => answers() >= 6 || c.closed, 'six PINGRESPs');
    } finally {
      clearInterval(pinging);
    }
    expect(c.closed).toBe(false);
    c.close();
  });

  it('answers an MQTT 5 CONNECT with 0x01 whatever its keep-alive [MQTT-3.1.2-2]', async () => {
    const { serial, secret } = boxes[3]!;
    const v = (protocolVersion: 4 | 5, keepalive: number) =>
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion,
        clientId: serial,
        username: serial,
        password: Buffer.from(secret),
        clean: true,
        keepalive,
      });
    expect(await connectOutcome(port(), v(4, 1))).toEqual(ACCEPTED);
    for (const keepalive of [0, 1, 30, 65535]) {
      expect(await connectOutcome(port(), v(5, keepalive))).toEqual({ outcome: 'closed', connack: { returnCode: 1 } });
    }
    expect(backend.app.broker.stats().refusals['unsupported-protocol']).toBe(4);
  });
});
