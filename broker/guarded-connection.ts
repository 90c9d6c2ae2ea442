import type net from 'node:net';
import tls from 'node:tls';
import type { Aedes, Client } from 'aedes';
import type { Clock } from '../services/kernel/clock.ts';
import type { Config } from '../services/platform/config.ts';
import type { Logger } from '../services/platform/logger.ts';
import type { ShadowService } from '../services/edge/presence/index.ts';
import type { BoxSessions } from './box-sessions.ts';
import { guardSocket } from './pre-auth-guard.ts';
import { readProxyHeader } from './proxy-header-reader.ts';
import { createProxyPeers } from './proxy-peers.ts';
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
 * The handler both listeners give their sockets: a load balancer's PROXY protocol header read
 * off first (MQTT_PROXY_FROM), then the pre-auth guard (packet and CONNECT size, keep-alive),
 * then aedes with MT-BOX auth and ACL.
 */
export function createConnectionHandler(aedes: Aedes, deps: GuardedConnectionDeps): (socket: net.Socket) => void {
  const { config, refusals } = deps;
  const accept = createGuardedAccept(aedes, deps);
  const fromProxy = config.MQTT_PROXY_FROM === undefined ? null : createProxyPeers(config.MQTT_PROXY_FROM);
  return (socket) => {
    socket.on('error', () => {});
    // From anyone but a balancer a PROXY header is not MQTT, and the packet guard refuses it:
    // nobody else may say whose connection it is. The header precedes TLS on the wire and a TLS
    // socket is past that point, so it is read on the plain listener only (docs/operations.md).
    if (!fromProxy?.(socket.remoteAddress) || socket instanceof tls.TLSSocket) {
      accept(socket);
      return;
    }
    readProxyHeader(socket, {
      timeoutMs: config.CONNECT_TIMEOUT_MS,
      onRefused: (reason) => refusals.refuse('bad-proxy-header', { address: socket.remoteAddress ?? null, detail: reason }),
      onReady: () => accept(socket),
    });
  };
}

function createGuardedAccept(aedes: Aedes, deps: GuardedConnectionDeps): (socket: net.Socket) => void {
  const { config, log, clock, sessions, shadows, refusals } = deps;
  return (socket) => {
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
