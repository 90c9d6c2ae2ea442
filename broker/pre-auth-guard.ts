import type { Socket } from 'node:net';

export type GuardViolation = 'first-packet-not-connect' | 'packet-too-large' | 'malformed-length';

export interface GuardOptions {
  /** Largest remaining length (bytes after the fixed header) any packet may declare. */
  maxPacketBytes: number;
  /** Largest remaining length the first packet (CONNECT) may declare. */
  maxConnectBytes: number;
  onViolation(violation: GuardViolation, declaredBytes: number | null): void;
}

const CONNECT = 1;

/**
 * Walks MQTT fixed headers as bytes arrive and refuses a connection before its packet body is
 * buffered. aedes 1.x has no packet-size limit and buffers a whole packet before it checks that
 * the first one is a CONNECT, so a socket declaring a 200 MB packet would make it allocate 200 MB.
 */
export function createPacketGuard(opts: GuardOptions): (chunk: Buffer) => boolean {
  let first = true;
  let stage: 'type' | 'length' | 'body' = 'type';
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;
  let bodyLeft = 0;
  let failed = false;

  function fail(violation: GuardViolation, declared: number | null): false {
    failed = true;
    opts.onViolation(violation, declared);
    return false;
  }

  return function inspect(chunk: Buffer): boolean {
    if (failed) return false;
    let i = 0;
    while (i < chunk.length) {
      if (stage === 'body') {
        const skip = Math.min(bodyLeft, chunk.length - i);
        bodyLeft -= skip;
        i += skip;
        if (bodyLeft === 0) stage = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (stage === 'type') {
        // [MQTT-3.1.0-1] the first packet from the client to the server must be CONNECT.
        if (first && byte >> 4 !== CONNECT) return fail('first-packet-not-connect', null);
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
      const limit = first ? opts.maxConnectBytes : opts.maxPacketBytes;
      if (length > limit) return fail('packet-too-large', length);
      first = false;
      bodyLeft = length;
      stage = length === 0 ? 'type' : 'body';
    }
    return true;
  };
}

/**
 * Puts the guard between the socket and aedes: aedes pulls bytes with `conn.read()` on
 * 'readable', so every byte it sees passes through here first.
 */
export function guardSocket(socket: Socket, opts: GuardOptions): void {
  const inspect = createPacketGuard(opts);
  const read = socket.read;
  socket.read = function guardedRead(this: Socket, size?: number) {
    const chunk = read.call(this, size) as Buffer | string | null;
    if (chunk === null || typeof chunk === 'string') return chunk;
    if (inspect(chunk)) return chunk;
    this.destroy();
    return null;
  };
}
