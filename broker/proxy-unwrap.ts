import type net from 'node:net';
import type { Config } from '../services/platform/config.ts';
import { readProxyHeader } from './proxy-header-reader.ts';
import { createProxyPeers } from './proxy-peers.ts';
import type { Refusals } from './refusals.ts';

export interface ProxyUnwrap {
  /** Whether an address is a load balancer's (MQTT_PROXY_FROM). */
  fromBalancer(address: string | undefined): boolean;
  /**
   * What happens to a fresh TCP socket before its first MQTT or TLS byte: from a balancer,
   * its PROXY protocol header is read off (the socket then answers the box's address) and
   * `next` gets the socket; from anyone else `next` gets it untouched.
   */
  unwrap(socket: net.Socket, next: (socket: net.Socket) => void): void;
}

export function createProxyUnwrap(deps: { config: Config; refusals: Refusals }): ProxyUnwrap {
  const { config, refusals } = deps;
  const peers = config.MQTT_PROXY_FROM === undefined ? null : createProxyPeers(config.MQTT_PROXY_FROM);
  const fromBalancer = (address: string | undefined) => peers?.(address) ?? false;
  return {
    fromBalancer,
    unwrap(socket, next) {
      // Resets and timeouts before the socket has another owner end here, not as an uncaught error.
      socket.on('error', () => {});
      // From anyone but a balancer a PROXY header is not MQTT (the packet guard refuses it) nor a
      // TLS ClientHello (the handshake fails): nobody else may say whose connection it is.
      if (!fromBalancer(socket.remoteAddress)) {
        next(socket);
        return;
      }
      readProxyHeader(socket, {
        timeoutMs: config.CONNECT_TIMEOUT_MS,
        onRefused: (reason) => refusals.refuse('bad-proxy-header', { address: socket.remoteAddress ?? null, detail: reason }),
        onReady: () => next(socket),
      });
    },
  };
}
