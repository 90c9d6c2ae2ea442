import type { Socket } from 'node:net';
import {
  bodyBytesNeeded,
  checkBody,
  checkFixedHeader,
  connectKeepAlive,
  type ConformanceKind,
  type ConformanceViolation,
} from './packet-conformance.ts';

export type GuardViolation = 'first-packet-not-connect' | 'packet-too-large' | 'malformed-length' | ConformanceKind;

export interface GuardOptions {
  /** Largest remaining length (bytes after the fixed header) any packet may declare. */
  maxPacketBytes: number;
  /** Largest remaining length the first packet (CONNECT) may declare. */
  maxConnectBytes: number;
  /** `conformance` is set when an MQTT 3.1.1 rule was broken (see packet-conformance.ts). */
  onViolation(violation: GuardViolation, declaredBytes: number | null, conformance?: ConformanceViolation): void;
  /** A conforming CONNECT has been read whole; it asks for this keep-alive, in seconds. */
  onConnect?(keepAliveS: number): void;
}

const CONNECT = 1;
const NO_BYTES = new Uint8Array(0);
// Room for a PUBLISH's topic and packet id, reused packet after packet. A plain Uint8Array:
// its views are several times cheaper to make than a Buffer's, and a PUBLISH takes a few.
const SCRATCH_BYTES = 256;

/**
 * Walks MQTT packets as bytes arrive and refuses a connection before its packet body is
 * buffered. aedes 1.x has no packet-size limit and buffers a whole packet before it checks that
 * the first one is a CONNECT, so a socket declaring a 200 MB packet would make it allocate 200 MB.
 * It also holds every packet to the MQTT 3.1.1 close-the-connection rules aedes misses; for
 * that it keeps the body of small control packets and only the topic and id of a PUBLISH.
 */
export function createPacketGuard(opts: GuardOptions): (chunk: Buffer) => boolean {
  let first = true;
  let stage: 'type' | 'length' | 'body' = 'type';
  let firstByte = 0;
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;
  let bodyLeft = 0;
  // The leading body bytes the conformance check needs, `captured` of `needed` read so far.
  const scratch = new Uint8Array(SCRATCH_BYTES);
  let head = scratch;
  let needed = 0;
  let captured = 0;
  let failed = false;

  function fail(violation: GuardViolation, declared: number | null, conformance?: ConformanceViolation): false {
    failed = true;
    opts.onViolation(violation, declared, conformance);
    return false;
  }

  function need(bytes: number): void {
    if (bytes <= needed) return;
    if (bytes > head.length) {
      const grown = new Uint8Array(bytes);
      grown.set(head.subarray(0, captured));
      head = grown;
    }
    needed = bytes;
  }

  function endOfHeader(): boolean {
    const limit = first ? opts.maxConnectBytes : opts.maxPacketBytes;
    if (length > limit) return fail('packet-too-large', length);
    const broken = checkFixedHeader(firstByte, length, first);
    if (broken) return fail(broken.kind, null, broken);
    first = false;
    bodyLeft = length;
    head = scratch;
    needed = 0;
    captured = 0;
    need(bodyBytesNeeded(firstByte, length, NO_BYTES));
    stage = 'body';
    return length > 0 || endOfPacket();
  }

  function endOfPacket(): boolean {
    const body = head.subarray(0, captured);
    const broken = checkBody(firstByte, body);
    if (broken) return fail(broken.kind, null, broken);
    if (firstByte >> 4 === CONNECT) {
      const keepAlive = connectKeepAlive(body);
      if (keepAlive !== null) opts.onConnect?.(keepAlive);
    }
    head = scratch;
    stage = 'type';
    return true;
  }

  return function inspect(chunk: Buffer): boolean {
    if (failed) return false;
    let i = 0;
    while (i < chunk.length) {
      if (stage === 'body') {
        while (captured < needed && i < chunk.length) {
          const n = Math.min(needed - captured, chunk.length - i);
          chunk.copy(head, captured, i, i + n);
          captured += n;
          i += n;
          bodyLeft -= n;
          // A PUBLISH's topic length is known once its first two bytes are in.
          if (captured === needed) need(bodyBytesNeeded(firstByte, length, head.subarray(0, captured)));
        }
        const skip = Math.min(bodyLeft, chunk.length - i);
        bodyLeft -= skip;
        i += skip;
        if (bodyLeft === 0 && !endOfPacket()) return false;
        continue;
      }
      const byte = chunk[i++]!;
      if (stage === 'type') {
        // [MQTT-3.1.0-1] the first packet from the client to the server must be CONNECT.
        if (first && byte >> 4 !== CONNECT) return fail('first-packet-not-connect', null);
        firstByte = byte;
        stage = 'length';
        length = 0;
        multiplier = 1;
        lengthBytes = 0;
        continue;
      }
      // Remaining length: up to four 7-bit groups, least significant first (MQTT 3.1.1 §2.2.3).
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      lengthBytes++;
      if (byte & 0x80) {
        if (lengthBytes === 4) return fail('malformed-length', null);
        continue;
      }
      if (!endOfHeader()) return false;
    }
    return true;
  };
}

export interface SocketGuardOptions extends GuardOptions {
  /**
   * The longest keep-alive the server honours, in seconds. A CONNECT asking for none (0) or for
   * more is accepted, and the connection is closed after 1.5 times this many seconds without a
   * byte from the client, as if it had asked for this keep-alive [MQTT-3.1.2-24].
   */
  keepAliveMaxS?: number;
  /** Such a connection has been closed for silence. */
  onIdle?(): void;
}

/**
 * Puts the guard between the socket and aedes: aedes pulls bytes with `conn.read()` on
 * 'readable', so every byte it sees passes through here first. A refused packet never reaches
 * aedes: the chunk that completes it is dropped and the socket closed.
 */
export function guardSocket(socket: Socket, opts: SocketGuardOptions): void {
  let connack: number | null = null;
  let idle: NodeJS.Timeout | null = null;
  const inspect = createPacketGuard({
    ...opts,
    onViolation(violation, declared, conformance) {
      connack = conformance?.connack ?? null;
      opts.onViolation(violation, declared, conformance);
    },
    onConnect(keepAliveS) {
      opts.onConnect?.(keepAliveS);
      const max = opts.keepAliveMaxS;
      if (max === undefined || (keepAliveS > 0 && keepAliveS <= max)) return;
      // A keep-alive of 0 turns the client's pings off, but "a Server is permitted to disconnect
      // a Client that it determines to be inactive" (MQTT 3.1.1 §3.1.2.10): a dead 4G link
      // must not hold a session and hide its Will for ever.
      idle = setTimeout(() => {
        opts.onIdle?.();
        socket.destroy();
      }, max * 1500);
      idle.unref();
    },
  });
  socket.once('close', () => {
    if (idle) clearTimeout(idle);
  });
  let closing = false;
  const read = socket.read;
  socket.read = function guardedRead(this: Socket, size?: number) {
    const chunk = read.call(this, size) as Buffer | string | null;
    if (chunk === null || typeof chunk === 'string') return chunk;
    idle?.refresh();
    if (inspect(chunk)) return chunk;
    if (!closing) {
      closing = true;
      // [MQTT-3.1.3-8] [MQTT-3.1.2-2] the few refusals the standard answers with a CONNACK.
      if (connack === null) this.destroy();
      else this.end(Buffer.from([0x20, 0x02, 0x00, connack]), () => this.destroy());
    }
    return null;
  };
}
