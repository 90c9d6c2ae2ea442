import type net from 'node:net';
import tls from 'node:tls';
import type { Config } from '../services/platform/config.ts';
import type { Logger } from '../services/platform/logger.ts';
import { carrySource } from './socket-source.ts';
import { readTlsFiles } from './tls-files.ts';

export interface TlsServerDeps {
  config: Config;
  log: Logger;
  /** Whether an address is a load balancer's: its connections must carry the box's address over. */
  fromBalancer(address: string | undefined): boolean;
  /** Gets each TLS socket once its handshake is done, answering the box's address. */
  accept(socket: net.Socket): void;
}

/**
 * The TLS side of the TLS port: TLS 1.2 or later; with TLS_CA_FILE it asks boxes for a client
 * certificate without requiring one, so secret-only boxes still connect and authenticate()
 * decides per box. It does not listen itself: the TLS port's net.Server hands it each TCP
 * socket with `emit('connection')` once any PROXY header is read off, since that header comes
 * before the ClientHello on the wire.
 */
export function createTlsServer(deps: TlsServerDeps): tls.Server {
  const { config, log, fromBalancer, accept } = deps;
  const server = tls.createServer(
    {
      ...readTlsFiles(config),
      requestCert: config.TLS_CA_FILE !== undefined,
      // An unverified certificate is refused at CONNECT, counted and logged like other refusals.
      rejectUnauthorized: false,
      // Node's default is 120 s: a socket that never completes its handshake is dropped as one that never sends CONNECT.
      handshakeTimeout: config.CONNECT_TIMEOUT_MS,
    },
    (socket) => {
      // Without the TCP socket, a balancer's connection would look like the balancer's own:
      // logins and bans would land on it, so such a connection is refused rather than misread.
      if (!carrySource(socket) && fromBalancer(socket.remoteAddress)) {
        log.error({ address: socket.remoteAddress ?? null }, "TLS socket without its TCP socket: the box's address is unknown");
        socket.destroy();
        return;
      }
      accept(socket);
    },
  );
  server.on('tlsClientError', (err, socket) => {
    carrySource(socket);
    log.debug({ address: socket.remoteAddress ?? null, err: err.message }, 'TLS handshake failed');
  });
  return server;
}
