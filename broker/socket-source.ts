import net from 'node:net';
import type tls from 'node:tls';
import type { ProxySource } from './proxy-protocol.ts';

const SOURCE_PROPERTIES = ['remoteAddress', 'remotePort', 'remoteFamily'] as const;

/**
 * Makes the socket answer the box's address and port from now on. An own property on the
 * instance shadows net.Socket's getters, so auth, login bans, refusal logs and presence, which
 * all read `remoteAddress`, see the box without knowing a balancer is there.
 */
export function showSource(socket: net.Socket, source: ProxySource): void {
  const family = source.address.includes(':') ? 'IPv6' : 'IPv4';
  for (const [name, value] of [
    ['remoteAddress', source.address],
    ['remotePort', source.port],
    ['remoteFamily', family],
  ] as const) {
    Object.defineProperty(socket, name, { value, enumerable: true });
  }
}

/**
 * Gives a TLS socket the source its TCP socket was shown (showSource), and answers false when
 * that TCP socket cannot be found. A TLSSocket's getpeername goes through its handle to the TCP
 * connection, i.e. to the balancer, so what the PROXY header said must be copied over.
 *
 * The TCP socket is found as `_parent`, which Node's TLSSocket sets to the net.Socket it wraps
 * (_tls_wrap `_init`): undocumented, but long-standing (checked on Node 20). It is the simplest
 * way: the header reader needs no side table, and the TLS server keeps creating its TLSSocket
 * itself (options, handshake timeout, setSecureContext). Should a Node release drop it, this
 * answers false and the caller refuses balancer connections instead of seeing the balancer as
 * the box; socket-source.test.ts and test/mqtt-tls-proxy-protocol.test.ts fail on either.
 */
export function carrySource(socket: tls.TLSSocket): boolean {
  const parent: unknown = (socket as tls.TLSSocket & { _parent?: unknown })._parent;
  if (!(parent instanceof net.Socket)) return false;
  for (const name of SOURCE_PROPERTIES) {
    const own = Object.getOwnPropertyDescriptor(parent, name);
    if (own) Object.defineProperty(socket, name, own);
  }
  return true;
}
