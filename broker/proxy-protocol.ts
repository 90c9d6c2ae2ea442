import { SocketAddress, isIP } from 'node:net';

/*
 * The PROXY protocol a load balancer puts in front of a TCP connection to say whose it is
 * (HAProxy's `send-proxy` is version 1, text; `send-proxy-v2` is version 2, binary), as written
 * in https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt. Pure: bytes in, a verdict out.
 */

export interface ProxySource {
  address: string;
  port: number;
}

export type ProxyHeaderResult =
  /** The header is not complete yet: give more bytes. */
  | { state: 'more' }
  /**
   * The header is whole. `source` is null for a v2 LOCAL header (the balancer's own health
   * check) and a v1 `UNKNOWN` one: the connection keeps the socket's address. `rest` is what
   * came after the header: the client's first bytes.
   */
  | { state: 'done'; source: ProxySource | null; rest: Buffer }
  | { state: 'refused'; reason: string };

/** The longest v1 header, CRLF included (proxy-protocol.txt §2.1). */
export const V1_MAX_BYTES = 107;
const V2_FIXED_BYTES = 16;
/** v2 address block we accept: two UNIX paths at most; TLVs beyond that are not sent to us. */
export const V2_MAX_ADDRESS_BYTES = 216;

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V2_SIGNATURE = Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1');
const V2_VERSION = 0x20;
const V2_LOCAL = 0x00;
const V2_PROXY = 0x01;
const V2_UNSPEC = 0x00;
const V2_TCP4 = 0x11;
const V2_TCP6 = 0x21;
const TCP4_BYTES = 12;
const TCP6_BYTES = 36;
// A decimal port without leading zeros, as the v1 text writes it.
const V1_PORT = /^(?:0|[1-9]\d{0,4})$/;

const more = { state: 'more' } as const;
const refused = (reason: string) => ({ state: 'refused', reason }) as const;

/** Whether the bytes so far still agree with the start of `expected`. */
function startsLike(bytes: Buffer, expected: Buffer): boolean {
  const n = Math.min(bytes.length, expected.length);
  return bytes.subarray(0, n).equals(expected.subarray(0, n));
}

function parseV1Line(line: string): { source: ProxySource | null } | { reason: string } {
  const fields = line.split(' ');
  // "PROXY UNKNOWN" may be followed by anything up to the CRLF; the receiver ignores it.
  if (fields[1] === 'UNKNOWN') return { source: null };
  if (fields.length !== 6) return { reason: `v1 header has ${fields.length} fields, not 6` };
  const [, protocol, source, destination, sourcePort = '', destinationPort = ''] = fields;
  const family = protocol === 'TCP4' ? 4 : protocol === 'TCP6' ? 6 : null;
  if (family === null) return { reason: 'v1 header names neither TCP4, TCP6 nor UNKNOWN' };
  const plain = (a: string) => /^[0-9A-Fa-f:.]+$/.test(a) && isIP(a) === family;
  if (!plain(source ?? '') || !plain(destination ?? '')) return { reason: `v1 header has an address that is not ${protocol}` };
  for (const port of [sourcePort, destinationPort]) {
    if (!V1_PORT.test(port) || Number(port) > 65535) return { reason: 'v1 header has a port that is not 0 to 65535' };
  }
  return { source: { address: canonical(source as string, family), port: Number(sourcePort) } };
}

function parseV1(bytes: Buffer): ProxyHeaderResult {
  const end = bytes.subarray(0, V1_MAX_BYTES).indexOf('\r\n', 0, 'latin1');
  if (end === -1) return bytes.length >= V1_MAX_BYTES ? refused(`v1 header longer than ${V1_MAX_BYTES} bytes`) : more;
  if (end + 2 > V1_MAX_BYTES) return refused(`v1 header longer than ${V1_MAX_BYTES} bytes`);
  const line = bytes.subarray(0, end);
  // Printable US-ASCII only: anything else is not a header a balancer wrote.
  if (line.some((b) => b < 0x20 || b > 0x7e)) return refused('v1 header has a byte that is not printable ASCII');
  const parsed = parseV1Line(line.toString('latin1'));
  if ('reason' in parsed) return refused(parsed.reason);
  return { state: 'done', source: parsed.source, rest: bytes.subarray(end + 2) };
}

/** The address as a socket would show it (`2001:db8::1`), so one host has one spelling in bans and logs. */
function canonical(address: string, family: 4 | 6): string {
  return new SocketAddress({ address, family: family === 4 ? 'ipv4' : 'ipv6' }).address;
}

function v6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return canonical(groups.join(':'), 6);
}

function parseV2(bytes: Buffer): ProxyHeaderResult {
  if (bytes.length < V2_FIXED_BYTES) return more;
  const versionCommand = bytes[12]!;
  const family = bytes[13]!;
  const length = bytes.readUInt16BE(14);
  if ((versionCommand & 0xf0) !== V2_VERSION) return refused('v2 header of another version');
  const command = versionCommand & 0x0f;
  if (command !== V2_LOCAL && command !== V2_PROXY) return refused('v2 header with a command other than LOCAL or PROXY');
  if (length > V2_MAX_ADDRESS_BYTES) return refused(`v2 header declares ${length} address bytes, more than ${V2_MAX_ADDRESS_BYTES}`);
  if (bytes.length < V2_FIXED_BYTES + length) return more;
  const block = bytes.subarray(V2_FIXED_BYTES, V2_FIXED_BYTES + length);
  const rest = bytes.subarray(V2_FIXED_BYTES + length);
  // LOCAL: the balancer speaking for itself; its address block, if any, is to be skipped.
  if (command === V2_LOCAL) return { state: 'done', source: null, rest };
  if (family === V2_UNSPEC) return { state: 'done', source: null, rest };
  if (family === V2_TCP4) {
    if (length < TCP4_BYTES) return refused('v2 TCP4 header too short for its addresses');
    return { state: 'done', source: { address: [...block.subarray(0, 4)].join('.'), port: block.readUInt16BE(8) }, rest };
  }
  if (family === V2_TCP6) {
    if (length < TCP6_BYTES) return refused('v2 TCP6 header too short for its addresses');
    return { state: 'done', source: { address: v6Text(block.subarray(0, 16)), port: block.readUInt16BE(32) }, rest };
  }
  return refused(`v2 header of address family 0x${family.toString(16).padStart(2, '0')}, not TCP over IPv4 or IPv6`);
}

/**
 * Reads a PROXY protocol v1 or v2 header from a connection's first bytes, as they arrive:
 * each call takes the next chunk. Bounded: it keeps at most a header's worth of bytes, and
 * refuses as soon as the bytes can no longer be a header we accept.
 */
export function createProxyHeaderParser(): (chunk: Buffer) => ProxyHeaderResult {
  let held: Buffer = Buffer.alloc(0);
  let verdict: ProxyHeaderResult | null = null;
  return (chunk) => {
    if (verdict !== null && verdict.state !== 'more') return verdict.state === 'refused' ? verdict : refused('header already read');
    held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    if (startsLike(held, V1_PREFIX)) verdict = held.length < V1_PREFIX.length ? more : parseV1(held);
    else if (startsLike(held, V2_SIGNATURE)) verdict = held.length < V2_SIGNATURE.length ? more : parseV2(held);
    else verdict = refused('the connection does not begin with a PROXY protocol header');
    return verdict;
  };
}
