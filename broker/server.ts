import net from 'node:net';
import tls from 'node:tls';
import { Aedes, type Client } from 'aedes';
import type { Clock } from '../services/kernel/clock.ts';
import type { Config } from '../services/platform/config.ts';
import type { CommandRequest, CommandResponse } from '../services/contract/payloads.ts';
import { commandRequestFilter, topicFor } from '../services/contract/topics.ts';
import type { IntakeStore } from '../services/edge/intake/domain/intake-port.ts';
import type { Logger } from '../services/platform/logger.ts';
import type { ShadowService } from '../services/edge/presence/shadow-service.ts';
import type { DeviceRegistry } from '../services/edge/registry/domain/registry-port.ts';
import type { TelemetryStore } from '../services/edge/telemetry/domain/telemetry-port.ts';
import { createAuthenticate } from './authenticate.ts';
import { createAuthorizePublish, createAuthorizeSubscribe } from './authorize.ts';
import { remoteAddress, type BoxSessions } from './box-sessions.ts';
import { createIntake, type IntakeDeps, type IntakeStats } from './intake.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { guardSocket } from './pre-auth-guard.ts';
import { createRefusals, type RefusalKind } from './refusals.ts';
import { readTlsFiles } from './tls-files.ts';
import { createVerifyGate } from './verify-gate.ts';

export interface BrokerDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  registry: DeviceRegistry;
  intake: IntakeStore;
  telemetry: TelemetryStore;
  shadows: ShadowService;
  /** Runs after a fault or evidence event is committed (the diagnostics step). */
  onStored?: (kind: 'fault' | 'event', rowId: number) => void;
  /** A box answered a remote command on cmd/res (validated). */
  onCommandResponse?: (serial: string, response: CommandResponse) => void;
  /** A box answered a remote command with an invalid payload (see IntakeDeps). */
  onInvalidCommandResponse?: IntakeDeps['onInvalidCommandResponse'];
  /** A box is connected and subscribed to its cmd/req: queued commands can go out. */
  onBoxReady?: (serial: string) => void;
  /** Every accepted message (see IntakeDeps.onAccepted), e.g. for remote-guidance sessions. */
  onAccepted?: IntakeDeps['onAccepted'];
}

export interface BrokerStats {
  connected: number;
  refusals: Record<RefusalKind, number>;
  messages: IntakeStats;
}

export interface RunningBroker {
  /** Plain MQTT port; null when MQTT_PORT is off. */
  port: number | null;
  /** MQTT over TLS port; null without MQTT_TLS_PORT. */
  tlsPort: number | null;
  aedes: Aedes;
  stats(): BrokerStats;
  /** Closes a box's live connection, e.g. after it was disabled. */
  disconnect(serial: string): void;
  isConnected(serial: string): boolean;
  /** Publishes a remote command on the box's cmd/req (QoS 1). */
  publishCommand(serial: string, request: CommandRequest): void;
  /**
   * Re-reads the TLS certificate, key and CA files for new handshakes; connected boxes stay.
   * Throws a ConfigError (and keeps the current files) when the new ones are unusable.
   */
  reloadTls(): void;
  close(): Promise<void>;
}

// MQTT framing around a payload: topic (≤ 64 bytes for mtbox/{sn}/{channel}), packet id, headers.
const PACKET_OVERHEAD_BYTES = 1024;
// Up to twice MAX_PAYLOAD_BYTES a packet is read, then rejected and counted with the
// connection kept; beyond that the guard closes the connection before reading the body.
const HARD_LIMIT_FACTOR = 2;
// A CONNECT carries client id, username, password and a small will: nothing near this.
const MAX_CONNECT_BYTES = 4096;
// scrypt runs on libuv's pool (4 threads by default): three for box logins leaves one for
// file I/O and people's logins. Measured with 10,000 boxes connecting (npm run bench, one
// run each): 2 → 17.6 s, 3 → 15.3 s, 4 → 14.6 s, unbounded 13.5 s. ~500 waiting is well
// under a second at the device cost.
const SCRYPT_CONCURRENCY = 3;
const SCRYPT_QUEUE = 512;

/** The embedded MQTT broker: aedes behind the pre-auth guard, with MT-BOX auth, ACL and intake. */
export async function startBroker(deps: BrokerDeps): Promise<RunningBroker> {
  const { config, logger, clock } = deps;
  const log = logger.child({ component: 'broker' });
  const sessions: BoxSessions = new WeakMap();
  const refusals = createRefusals(log);
  const throttle = createLoginThrottle({
    failuresBeforeBan: config.LOGIN_FAILURES_BEFORE_BAN,
    addressFailuresBeforeBan: config.LOGIN_FAILURES_BEFORE_BAN * 10,
    windowMs: config.LOGIN_BAN_S * 1000,
    banMs: config.LOGIN_BAN_S * 1000,
    maxTracked: 100_000,
  });
  const intake = createIntake({
    clock,
    logger: log,
    limits: { maxPayloadBytes: config.MAX_PAYLOAD_BYTES, maxFutureSkewMs: config.MAX_FUTURE_SKEW_S * 1000 },
    telemetry: deps.telemetry,
    store: deps.intake,
    shadows: deps.shadows,
    ...(deps.onStored ? { onStored: deps.onStored } : {}),
    ...(deps.onCommandResponse ? { onCommandResponse: deps.onCommandResponse } : {}),
    ...(deps.onInvalidCommandResponse ? { onInvalidCommandResponse: deps.onInvalidCommandResponse } : {}),
    ...(deps.onAccepted ? { onAccepted: deps.onAccepted } : {}),
  });

  let aedes: Aedes;
  // aedes keeps its live connections by client id (= serial) but does not type the table.
  const current = (serial: string): Client | undefined =>
    (aedes as unknown as { clients: Record<string, Client> }).clients[serial];

  aedes = await Aedes.createBroker({
    authenticate: createAuthenticate({
      registry: deps.registry,
      throttle,
      gate: createVerifyGate({ concurrency: SCRYPT_CONCURRENCY, maxQueued: SCRYPT_QUEUE }),
      refusals,
      sessions,
      clock,
    }),
    authorizePublish: createAuthorizePublish({
      sessions,
      refusals,
      intake,
      isSuperseded: (client) => {
        const live = current(client.id);
        return live !== undefined && live !== client;
      },
    }),
    authorizeSubscribe: createAuthorizeSubscribe({ sessions, refusals }),
    connectTimeout: config.CONNECT_TIMEOUT_MS,
    // No keepaliveLimit: aedes would answer CONNACK 0x06, reserved in MQTT 3.1.1 [MQTT-3.2.2-6].
    // The guard bounds a keep-alive of 0 or above KEEPALIVE_MAX_S instead (keepAliveMaxS below).
    maxClientsIdLength: 23,
    // mtbox/{sn}/cmd/res is the deepest topic a box uses.
    maxTopicLevels: 8,
    // Packets a client may pipeline before its CONNECT is processed.
    queueLimit: 42,
    maxInflightInbound: 100,
  });

  aedes.on('client', (client) => {
    const s = sessions.get(client);
    if (s) deps.shadows.connected(s.deviceId, s.address, clock());
  });
  aedes.on('clientDisconnect', (client) => {
    const s = sessions.get(client);
    // On a takeover aedes unregisters the old connection before it registers the new one, so
    // the box flips offline → online; a stale disconnect never overrides a live connection.
    if (s && current(client.id) === undefined) deps.shadows.disconnected(s.deviceId, clock());
  });
  // Queued commands go out once the box can receive them: when it subscribes to its cmd/req,
  // or when it reconnects with that subscription kept in its persistent session.
  const isCommandFilter = (client: Client, topic: string) => {
    const s = sessions.get(client);
    return s !== undefined && topic === commandRequestFilter(s.serial);
  };
  aedes.on('subscribe', (subscriptions, client) => {
    if (client && subscriptions.some((sub) => isCommandFilter(client, sub.topic))) deps.onBoxReady?.(client.id);
  });
  aedes.on('clientReady', (client) => {
    if (!deps.onBoxReady || !sessions.get(client)) return;
    // aedes types its persistence as `any`; the default in-memory one answers a promise.
    const persistence = (aedes as unknown as { persistence: { subscriptionsByClient(c: Client): Promise<Array<{ topic: string }> | null> } }).persistence;
    Promise.resolve(persistence.subscriptionsByClient(client)).then(
      (subs) => {
        if (subs?.some((sub) => isCommandFilter(client, sub.topic))) deps.onBoxReady?.(client.id);
      },
      (err: unknown) => log.error({ err, serial: client.id }, 'could not read the session subscriptions'),
    );
  });
  aedes.on('keepaliveTimeout', (client) => {
    log.info({ serial: client.id, address: remoteAddress(client) }, 'keep-alive timeout: box went silent');
  });
  aedes.on('clientError', (client, err) => {
    log.debug({ serial: client.id, err: err.message }, 'client error');
  });
  aedes.on('connectionError', (client, err) => {
    log.debug({ address: remoteAddress(client), err: err.message }, 'connection error before CONNECT');
  });

  // The plain and the TLS listener hand their sockets to the same guard, aedes, auth and ACL.
  const onConnection = (socket: net.Socket) => {
    socket.on('error', () => {});
    guardSocket(socket, {
      maxPacketBytes: config.MAX_PAYLOAD_BYTES * HARD_LIMIT_FACTOR + PACKET_OVERHEAD_BYTES,
      maxConnectBytes: MAX_CONNECT_BYTES,
      keepAliveMaxS: config.KEEPALIVE_MAX_S,
      onIdle: () => {
        const serial = (socket as net.Socket & { client?: Client }).client?.id ?? null;
        log.info({ serial, address: socket.remoteAddress ?? null }, 'idle limit: a box without keep-alive went silent');
      },
      onViolation: (violation, declared, conformance) => {
        // aedes hangs its client on the socket; after CONNECT the refusal counts against the box.
        const client = (socket as net.Socket & { client?: Client }).client;
        const session = client ? sessions.get(client) : undefined;
        if (session && violation === 'packet-too-large') deps.shadows.rejected(session.deviceId, 'too-large', clock());
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
  const servers: net.Server[] = [];
  const listen = async (server: net.Server, port: number): Promise<number> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, config.MQTT_HOST, () => resolve());
    });
    servers.push(server);
    return (server.address() as net.AddressInfo).port;
  };
  const tlsServer = config.MQTT_TLS_PORT === undefined ? null : createTlsServer(config, onConnection, log);
  let port: number | null = null;
  let tlsPort: number | null = null;
  try {
    if (config.MQTT_PORT !== 'off') port = await listen(net.createServer(onConnection), config.MQTT_PORT);
    if (tlsServer && config.MQTT_TLS_PORT !== undefined) tlsPort = await listen(tlsServer, config.MQTT_TLS_PORT);
  } catch (err) {
    // One listener could not bind (port taken): do not leave the other one open.
    for (const server of servers) server.close();
    aedes.close();
    throw err;
  }
  if (port !== null) log.info({ port }, 'MQTT broker listening');
  if (tlsPort !== null) log.info({ port: tlsPort, clientCertificates: config.TLS_CA_FILE !== undefined }, 'MQTT over TLS listening');

  return {
    port,
    tlsPort,
    aedes,
    stats: () => ({ connected: aedes.connectedClients, refusals: refusals.counts(), messages: intake.stats() }),
    disconnect(serial) {
      current(serial)?.close();
    },
    isConnected: (serial) => current(serial) !== undefined,
    publishCommand(serial, request) {
      const packet = {
        cmd: 'publish' as const,
        topic: topicFor(serial, 'cmd/req'),
        payload: Buffer.from(JSON.stringify(request)),
        qos: 1 as const,
        retain: false,
        dup: false,
      };
      aedes.publish(packet, (err) => {
        if (err) log.error({ err, serial, id: request.id }, 'command not published');
      });
    },
    reloadTls() {
      if (!tlsServer) return;
      tlsServer.setSecureContext(readTlsFiles(config));
      log.info('TLS certificate and key re-read; new handshakes use them');
    },
    async close() {
      await Promise.all([
        ...servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
        new Promise<void>((resolve) => aedes.close(() => resolve())),
      ]);
    },
  };
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
