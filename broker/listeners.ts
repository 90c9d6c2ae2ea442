import net from 'node:net';
import tls from 'node:tls';
import type { Config } from '../services/platform/config.ts';
import type { Logger } from '../services/platform/logger.ts';
import { readTlsFiles } from './tls-files.ts';

export interface Listeners {
  /** Plain MQTT port; null when MQTT_PORT is off. */
  port: number | null;
  /** MQTT over TLS port; null without MQTT_TLS_PORT. */
  tlsPort: number | null;
  /** Kept for reloadTls(). */
  tlsServer: tls.Server | null;
  servers: net.Server[];
}

/**
 * The TLS listener: TLS 1.2 or later; with TLS_CA_FILE it asks boxes for a client certificate
 * without requiring one, so secret-only boxes still connect and authenticate() decides per box.
 */
function createTlsServer(config: Config, onConnection: (socket: net.Socket) => void, log: Logger): tls.Server {
  const server = tls.createServer(
    {
      ...readTlsFiles(config),
      requestCert: config.TLS_CA_FILE !== undefined,
      // An unverified certificate is refused at CONNECT, counted and logged like other refusals.
      rejectUnauthorized: false,
      // Node's default is 120 s: a socket that never completes its handshake is dropped as one that never sends CONNECT.
      handshakeTimeout: config.CONNECT_TIMEOUT_MS,
    },
    onConnection,
  );
  server.on('tlsClientError', (err, socket) => {
    log.debug({ address: socket.remoteAddress ?? null, err: err.message }, 'TLS handshake failed');
  });
  return server;
}

// Node's default accept queue is 511: when a region's boxes reconnect at once, SYNs beyond it
// are dropped and those boxes wait out TCP's retransmit (1 s, 3 s, 7 s…). The kernel caps this
// at net.core.somaxconn.
const ACCEPT_BACKLOG = 4096;

async function listen(server: net.Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: ACCEPT_BACKLOG }, () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

/**
 * Opens the plain and the TLS listener as configured; both hand their sockets to the same
 * handler. If one cannot bind (port taken), the other is closed again before the error is thrown.
 */
export async function openListeners(config: Config, handle: (socket: net.Socket) => void, log: Logger): Promise<Listeners> {
  // A command, its answer and a tunnel's small frames are latency-bound: without TCP_NODELAY,
  // Nagle's algorithm meets the box's delayed ACK and adds ~40 ms per packet each way.
  const onConnection = (socket: net.Socket) => {
    socket.setNoDelay(true);
    handle(socket);
  };
  const tlsServer = config.MQTT_TLS_PORT === undefined ? null : createTlsServer(config, onConnection, log);
  const servers: net.Server[] = [];
  let port: number | null = null;
  let tlsPort: number | null = null;
  try {
    if (config.MQTT_PORT !== 'off') {
      const plain = net.createServer(onConnection);
      port = await listen(plain, config.MQTT_HOST, config.MQTT_PORT);
      servers.push(plain);
    }
    if (tlsServer && config.MQTT_TLS_PORT !== undefined) {
      tlsPort = await listen(tlsServer, config.MQTT_HOST, config.MQTT_TLS_PORT);
      servers.push(tlsServer);
    }
  } catch (err) {
    for (const server of servers) server.close();
    throw err;
  }
  if (port !== null) log.info({ port }, 'MQTT broker listening');
  if (tlsPort !== null) log.info({ port: tlsPort, clientCertificates: config.TLS_CA_FILE !== undefined }, 'MQTT over TLS listening');
  return { port, tlsPort, tlsServer, servers };
}
