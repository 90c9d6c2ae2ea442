import net from 'node:net';
import type tls from 'node:tls';
import type { Config } from '../services/platform/config.ts';
import type { Logger } from '../services/platform/logger.ts';
import type { ProxyUnwrap } from './proxy-unwrap.ts';
import { createTlsServer } from './tls-server.ts';

export interface Listeners {
  /** Plain MQTT port; null when MQTT_PORT is off. */
  port: number | null;
  /** MQTT over TLS port; null without MQTT_TLS_PORT. */
  tlsPort: number | null;
  /** Kept for reloadTls(); it does not listen itself, the TLS port's net.Server hands it sockets. */
  tlsServer: tls.Server | null;
  /** The listening servers: the plain port's and the TLS port's. */
  servers: net.Server[];
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

/** What the ports do with a connection: the balancer's PROXY header first, then accept. */
export interface ConnectionSteps extends ProxyUnwrap {
  /** The guard and aedes, given a socket whose next bytes are MQTT and which answers the box's address. */
  accept(socket: net.Socket): void;
}

/** A TCP listener whose sockets go to `onSocket`, with TCP_NODELAY. */
function tcpServer(onSocket: (socket: net.Socket) => void): net.Server {
  return net.createServer((socket) => {
    // A command, its answer and a tunnel's small frames are latency-bound: without TCP_NODELAY,
    // Nagle's algorithm meets the box's delayed ACK and adds ~40 ms per packet each way.
    socket.setNoDelay(true);
    onSocket(socket);
  });
}

/**
 * Opens the plain and the TLS port as configured. Plain: PROXY header → accept. TLS: PROXY
 * header → TLS handshake → the box's address carried to the TLS socket → accept. If one port
 * cannot bind (taken), the other is closed again before the error is thrown.
 */
export async function openListeners(config: Config, steps: ConnectionSteps, log: Logger): Promise<Listeners> {
  const { unwrap, fromBalancer, accept } = steps;
  const tlsServer = config.MQTT_TLS_PORT === undefined ? null : createTlsServer({ config, log, fromBalancer, accept });
  const servers: net.Server[] = [];
  let port: number | null = null;
  let tlsPort: number | null = null;
  try {
    if (config.MQTT_PORT !== 'off') {
      const plain = tcpServer((socket) => unwrap(socket, accept));
      port = await listen(plain, config.MQTT_HOST, config.MQTT_PORT);
      servers.push(plain);
    }
    if (tlsServer && config.MQTT_TLS_PORT !== undefined) {
      const toTls = (socket: net.Socket) => tlsServer.emit('connection', socket);
      const secure = tcpServer((socket) => unwrap(socket, toTls));
      tlsPort = await listen(secure, config.MQTT_HOST, config.MQTT_TLS_PORT);
      servers.push(secure);
    }
  } catch (err) {
    for (const server of servers) server.close();
    throw err;
  }
  if (port !== null) log.info({ port }, 'MQTT broker listening');
  if (tlsPort !== null) log.info({ port: tlsPort, clientCertificates: config.TLS_CA_FILE !== undefined }, 'MQTT over TLS listening');
  return { port, tlsPort, tlsServer, servers };
}
