import { describe, expect, it } from 'vitest';
import { createProxyHeaderParser, type ProxyHeaderResult } from './proxy-protocol.ts';

const SIGNATURE = Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1');
const MQTT_CONNECT_START = Buffer.from([0x10, 0x1c, 0x00, 0x04]);

/** A v2 header: `command` 0 LOCAL or 1 PROXY, `family` byte, address block. */
function v2(command: number, family: number, block: Buffer, declared = block.length): Buffer {
  const fixed = Buffer.alloc(4);
  fixed[0] = 0x20 | command;
  fixed[1] = family;
  fixed.writeUInt16BE(declared, 2);
  return Buffer.concat([SIGNATURE, fixed, block]);
}

function tcp4Block(source: number[], destination: number[], sourcePort: number, destinationPort: number): Buffer {
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(sourcePort, 0);
  ports.writeUInt16BE(destinationPort, 2);
  return Buffer.concat([Buffer.from(source), Buffer.from(destination), ports]);
}

/** Feeds the bytes in the given chunk sizes until a verdict, as the socket reader does. */
function feed(bytes: Buffer, chunkSize = bytes.length): ProxyHeaderResult {
  const parse = createProxyHeaderParser();
  let result: ProxyHeaderResult = { state: 'more' };
  for (let i = 0; i < bytes.length && result.state === 'more'; i += chunkSize) result = parse(bytes.subarray(i, i + chunkSize));
  return result;
}

function reason(result: ProxyHeaderResult): string {
  if (result.state !== 'refused') throw new Error(`expected a refusal, got ${result.state}`);
  return result.reason;
}

describe('PROXY protocol v1', () => {
  const line = Buffer.from('PROXY TCP4 198.51.100.7 10.0.0.5 51234 1883\r\n', 'latin1');

  it('reads the source address and port, and hands back the bytes after the header', () => {
    const result = feed(Buffer.concat([line, MQTT_CONNECT_START]));
    expect(result).toEqual({ state: 'done', source: { address: '198.51.100.7', port: 51234 }, rest: MQTT_CONNECT_START });
  });

  it('reads a header that arrives one byte at a time', () => {
    // The header ends a chunk: nothing of the client's has come yet.
    expect(feed(Buffer.concat([line, MQTT_CONNECT_START]), 1)).toEqual({
      state: 'done',
      source: { address: '198.51.100.7', port: 51234 },
      rest: Buffer.alloc(0),
    });
  });

  it('writes an IPv6 source as a socket does', () => {
    const result = feed(Buffer.from('PROXY TCP6 2001:0db8:0000::0001 2001:db8::2 4000 1883\r\n', 'latin1'));
    expect(result).toMatchObject({ state: 'done', source: { address: '2001:db8::1', port: 4000 } });
  });

  it('keeps the socket address for UNKNOWN, whatever follows it on the line', () => {
    expect(feed(Buffer.from('PROXY UNKNOWN ffff:f...f:ffff 65535 65535\r\n', 'latin1'))).toEqual({
      state: 'done',
      source: null,
      rest: Buffer.alloc(0),
    });
  });

  it('waits while the header is incomplete', () => {
    expect(feed(Buffer.from('PROX', 'latin1'))).toEqual({ state: 'more' });
    expect(feed(line.subarray(0, line.length - 1))).toEqual({ state: 'more' });
  });

  it.each([
    ['a port above 65535', 'PROXY TCP4 198.51.100.7 10.0.0.5 65536 1883\r\n', 'port'],
    ['a port with a leading zero', 'PROXY TCP4 198.51.100.7 10.0.0.5 01883 1883\r\n', 'port'],
    ['a negative port', 'PROXY TCP4 198.51.100.7 10.0.0.5 -1 1883\r\n', 'port'],
    ['an address that is no address', 'PROXY TCP4 198.51.100.300 10.0.0.5 1 1883\r\n', 'address'],
    ['an IPv6 address under TCP4', 'PROXY TCP4 2001:db8::1 10.0.0.5 1 1883\r\n', 'address'],
    ['an IPv6 address with a zone', 'PROXY TCP6 fe80::1%eth0 fe80::2 1 1883\r\n', 'address'],
    ['a host name', 'PROXY TCP4 box.example 10.0.0.5 1 1883\r\n', 'address'],
    ['an unknown protocol', 'PROXY UDP4 198.51.100.7 10.0.0.5 1 1883\r\n', 'TCP4'],
    ['a missing field', 'PROXY TCP4 198.51.100.7 10.0.0.5 1\r\n', 'fields'],
    ['doubled spaces', 'PROXY TCP4  198.51.100.7 10.0.0.5 1 1883\r\n', 'fields'],
    ['a control byte', 'PROXY TCP4 198.51.100.7 10.0.0.5 1 1883\t\r\n', 'printable'],
  ])('refuses a header with %s', (_name, text, why) => {
    expect(reason(feed(Buffer.from(text, 'latin1')))).toContain(why);
  });

  it('refuses a line that runs past 107 bytes without its CRLF, without waiting for more', () => {
    const long = Buffer.from(`PROXY UNKNOWN ${'x'.repeat(93)}`, 'latin1');
    expect(long.length).toBe(107);
    expect(reason(feed(long))).toContain('longer than 107');
    expect(reason(feed(Buffer.from(`PROXY UNKNOWN ${'x'.repeat(92)}\r\n`, 'latin1')))).toContain('longer than 107');
    expect(feed(Buffer.from(`PROXY UNKNOWN ${'x'.repeat(91)}\r\n`, 'latin1'))).toMatchObject({ state: 'done' });
  });
});

describe('PROXY protocol v2', () => {
  const proxied = v2(1, 0x11, tcp4Block([198, 51, 100, 7], [10, 0, 0, 5], 51234, 1883));

  it('reads the source address and port of a TCP over IPv4 header, and the bytes after it', () => {
    expect(feed(Buffer.concat([proxied, MQTT_CONNECT_START]))).toEqual({
      state: 'done',
      source: { address: '198.51.100.7', port: 51234 },
      rest: MQTT_CONNECT_START,
    });
  });

  it('reads a header split across chunks of every size', () => {
    for (const size of [1, 2, 3, 7, 13, 16, 17]) {
      expect(feed(proxied, size)).toMatchObject({ state: 'done', source: { address: '198.51.100.7', port: 51234 } });
    }
  });

  it('reads TCP over IPv6, skipping TLVs after the addresses', () => {
    const block = Buffer.alloc(36 + 7);
    Buffer.from('20010db8000000000000000000000001', 'hex').copy(block, 0);
    Buffer.from('20010db8000000000000000000000002', 'hex').copy(block, 16);
    block.writeUInt16BE(4000, 32);
    block.writeUInt16BE(1883, 34);
    Buffer.from([0x04, 0x00, 0x04, 1, 2, 3, 4]).copy(block, 36); // a PP2_TYPE_NOOP TLV
    expect(feed(Buffer.concat([v2(1, 0x21, block), MQTT_CONNECT_START]))).toEqual({
      state: 'done',
      source: { address: '2001:db8::1', port: 4000 },
      rest: MQTT_CONNECT_START,
    });
  });

  it("keeps the socket address for LOCAL (the balancer's health check) and UNSPEC", () => {
    expect(feed(Buffer.concat([v2(0, 0x00, Buffer.alloc(0)), MQTT_CONNECT_START]))).toEqual({
      state: 'done',
      source: null,
      rest: MQTT_CONNECT_START,
    });
    expect(feed(v2(0, 0x11, tcp4Block([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)))).toEqual({ state: 'done', source: null, rest: Buffer.alloc(0) });
    expect(feed(v2(1, 0x00, Buffer.alloc(0)))).toEqual({ state: 'done', source: null, rest: Buffer.alloc(0) });
  });

  it('waits for a truncated header, whether in the signature, the fixed part or the addresses', () => {
    for (const length of [1, 11, 12, 15, 16, 27]) expect(feed(proxied.subarray(0, length))).toEqual({ state: 'more' });
  });

  it('refuses a wrong signature at the first byte that differs', () => {
    const wrong = Buffer.from(SIGNATURE);
    wrong[5] = 0x41;
    expect(reason(feed(wrong.subarray(0, 6)))).toContain('does not begin with a PROXY protocol header');
  });

  it('refuses another version, an unknown command, UDP, UNIX and unknown families', () => {
    const block = tcp4Block([1, 2, 3, 4], [5, 6, 7, 8], 1, 2);
    const version1 = Buffer.from(v2(1, 0x11, block));
    version1[12] = 0x11;
    expect(reason(feed(version1))).toContain('version');
    expect(reason(feed(v2(2, 0x11, block)))).toContain('command');
    for (const family of [0x12, 0x22, 0x31, 0x32, 0x41, 0xff]) expect(reason(feed(v2(1, family, Buffer.alloc(216))))).toContain('address family');
  });

  it('refuses an address block longer than it accepts before reading it', () => {
    expect(reason(feed(v2(1, 0x11, Buffer.alloc(0), 217)))).toContain('217 address bytes');
    expect(reason(feed(v2(1, 0x11, Buffer.alloc(0), 65535)))).toContain('65535 address bytes');
  });

  it('refuses a declared length too short for the family', () => {
    expect(reason(feed(v2(1, 0x11, Buffer.alloc(11))))).toContain('too short');
    expect(reason(feed(v2(1, 0x21, Buffer.alloc(35))))).toContain('too short');
  });
});

describe('anything else', () => {
  it('refuses MQTT without a header at its first byte', () => {
    expect(reason(feed(MQTT_CONNECT_START))).toContain('does not begin with a PROXY protocol header');
  });

  it('answers no second verdict once it has given one', () => {
    const parse = createProxyHeaderParser();
    expect(parse(Buffer.from('PROXY UNKNOWN\r\n', 'latin1')).state).toBe('done');
    expect(parse(Buffer.from('PROXY UNKNOWN\r\n', 'latin1'))).toEqual({ state: 'refused', reason: 'header already read' });
  });

  it('refuses garbage, and stays refused whatever comes after', () => {
    const parse = createProxyHeaderParser();
    expect(parse(Buffer.from('GET / HTTP/1.1\r\n', 'latin1')).state).toBe('refused');
    expect(parse(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n', 'latin1')).state).toBe('refused');
  });

  it('refuses "PROXY" in lower case or without its space', () => {
    expect(reason(feed(Buffer.from('proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n', 'latin1')))).toContain('does not begin');
    expect(reason(feed(Buffer.from('PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n', 'latin1')))).toContain('does not begin');
  });
});
