import type net from 'node:net';
import type { Aedes, Client } from 'aedes';
import type { Clock } from '../services/kernel/clock.ts';
import type { Config } from '../services/platform/config.ts';
import type { Logger } from '../services/platform/logger.ts';
import type { ShadowService } from '../services/edge/presence/index.ts';
import type { BoxSessions } from './box-sessions.ts';
import { guardSocket } from './pre-auth-guard.ts';
import type { Refusals } from './refusals.ts';

// MQTT framing around a payload: topic (≤ 64 bytes for mtbox/{sn}/{channel}), packet id, headers.
const PACKET_OVERHEAD_BYTES = 1024;
// Up to twice MAX_PAYLOAD_BYTES a packet is read, then rejected and counted with the
// connection kept; beyond that the guard closes the connection before reading the body.
const HARD_LIMIT_FACTOR = 2;
// A CONNECT carries client id, username, password and a small will: nothing near this.
const MAX_CONNECT_BYTES = 4096;

export interface GuardedConnectionDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  sessions: BoxSessions;
  shadows: ShadowService;
  refusals: Refusals;
}

/** aedes hangs its client on the socket once CONNECT is handled. */
function clientOf(socket: net.Socket): Client | undefined {
  return (socket as net.Socket & { client?: Client }).client;
}

/**
 * What both listeners do with a connection once its MQTT bytes are next (after any PROXY header
 * and TLS handshake): the pre-auth guard (packet and CONNECT size, keep-alive), then aedes with
 * MT-BOX auth and ACL.
 */
export function createGuardedAccept(aedes: Aedes, deps: GuardedConnectionDeps): (socket: net.Socket) => void {
  const { config, log, clock, sessions, shadows, refusals } = deps;
  return (socket) => {
    socket.on('error', () => {});
    guardSocket(socket, {
      maxPacketBytes: config.MAX_PAYLOAD_BYTES * HARD_LIMIT_FACTOR + PACKET_OVERHEAD_BYTES,
      maxConnectBytes: MAX_CONNECT_BYTES,
      keepAliveMaxS: config.KEEPALIVE_MAX_S,
      onIdle: () => {
        const serial = clientOf(socket)?.id ?? null;
        log.info({ serial, address: socket.remoteAddress ?? null }, 'idle limit: a box without keep-alive went silent');
      },
      onViolation: (violation, declared, conformance) => {
        // After CONNECT the refusal counts against the box.
        const client = clientOf(socket);
        const session = client ? sessions.get(client) : undefined;
        if (session && violation === 'packet-too-large') shadows.rejected(session.deviceId, 'too-large', clock());
        refusals.refuse(violation, {
          address: socket.remoteAddress ?? null,
          serial: session?.serial ?? null,
          ...(declared === null ? {} : { detail: `declared ${declared} bytes` }),
          ...(conformance ? { detail: conformance.clause } : {}),
        });
      },
    });
    aedes.handle(socket);
  };
}
