import type { Client } from 'aedes';
import type { Clock } from '../services/kernel/clock.ts';
import type { Config } from '../services/platform/config.ts';
import type { CommandRequest, CommandResponse } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import type { IntakeStore } from '../services/edge/intake/index.ts';
import type { Logger } from '../services/platform/logger.ts';
import type { ShadowService } from '../services/edge/presence/index.ts';
import type { DeviceRegistry } from '../services/edge/registry/index.ts';
import type { BoxSecretHasher, FailureThrottles } from '../services/platform/security/index.ts';
import type { TelemetryStore } from '../services/edge/telemetry/index.ts';
import { createAuthenticate } from './authenticate.ts';
import { createAuthorizePublish, createAuthorizeSubscribe } from './authorize.ts';
import type { BoxSessions } from './box-sessions.ts';
import { watchClientEvents } from './client-events.ts';
import { createGuardedAccept } from './guarded-connection.ts';
import { createIntake, type IntakeCounts, type IntakeDeps, type IntakeStats } from './intake.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { openListeners, type Listeners } from './listeners.ts';
import { createProxyUnwrap } from './proxy-unwrap.ts';
import { createRefusals, type RefusalKind } from './refusals.ts';
import { readTlsFiles } from './tls-files.ts';
import { TelemetryRoutingAedes } from './telemetry-routing.ts';
import { createTunnelIntake, type TunnelIntakeStats } from './tunnel-intake.ts';
import { createVerifyGate } from './verify-gate.ts';
import { createConnectGate } from './connect-gate.ts';
import type { ClusterBackplane } from './cluster-backplane.ts';

export interface BrokerDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  registry: DeviceRegistry;
  /** Checks box secrets (see services/platform/security/box-secret-hash.ts). */
  boxSecrets: BoxSecretHasher;
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
  /** A box published a tunnel frame on its tun/up (binary, size-bounded, not yet decoded). */
  onTunnelFrame?: (serial: string, payload: Buffer) => void;
  /** Makes the login throttles; default: this process's own (with REDIS_URL: shared by the nodes). */
  throttles?: FailureThrottles;
  /** With REDIS_URL: this broker is one node of a cluster (cluster-backplane.ts). */
  cluster?: ClusterBackplane | undefined;
}

export interface BrokerStats {
  connected: number;
  refusals: Record<RefusalKind, number>;
  messages: IntakeStats;
  tunnelFrames: TunnelIntakeStats;
}

/** The running totals the Prometheus metrics read (live objects: read them, never keep or change them). */
export interface BrokerCounts extends IntakeCounts {
  connected: number;
  /** CONNECTs accepted since start. */
  connectsAccepted: number;
  refusals: Readonly<Record<RefusalKind, number>>;
}

export interface RunningBroker {
  /** Plain MQTT port; null when MQTT_PORT is off. */
  port: number | null;
  /** MQTT over TLS port; null without MQTT_TLS_PORT. */
  tlsPort: number | null;
  /** aedes, skipping the routing of telemetry nothing subscribes to (see its telemetryRouting()). */
  aedes: TelemetryRoutingAedes;
  stats(): BrokerStats;
  counts(): BrokerCounts;
  /** True while every configured MQTT listener accepts connections. */
  listening(): boolean;
  /** Closes a box's live connection, e.g. after it was disabled. */
  disconnect(serial: string): void;
  isConnected(serial: string): boolean;
  /** Publishes a remote command on the box's cmd/req (QoS 1). */
  publishCommand(serial: string, request: CommandRequest): void;
  /** Publishes one tunnel frame on the box's tun/down (QoS 1); resolves once aedes has handed it on. */
  publishTunnel(serial: string, frame: Buffer): Promise<void>;
  /**
   * Re-reads the TLS certificate, key and CA files for new handshakes; connected boxes stay.
   * Throws a ConfigError (and keeps the current files) when the new ones are unusable.
   */
  reloadTls(): void;
  close(): Promise<void>;
}

// Only boxes still stored with an scrypt hash (before the keyed hash) need scrypt, once each.
// scrypt runs on libuv's pool (4 threads by default): three for box logins leaves one for
// file I/O and people's logins. Measured with 10,000 boxes connecting (npm run bench, one
// run each): 2 → 17.6 s, 3 → 15.3 s, 4 → 14.6 s, unbounded 13.5 s. ~500 waiting is well
// under a second at the device cost.
const SCRYPT_CONCURRENCY = 3;
const SCRYPT_QUEUE = 512;
// CONNECTs checked at once. A check is an in-memory HMAC against a cached row unless the row
// must be read or the box still has an scrypt hash; more in flight would only queue on the
// database or libuv's pool. The waiting ones are answered "server unavailable" before
// CONNECT_TIMEOUT_MS would drop them unanswered; 20,000 waiting closures are ~2 MB.
const CONNECT_CONCURRENCY = 64;
const CONNECT_QUEUE = 20_000;

/** The bounds on login work: CONNECTs checked at once, and scrypt checks among them. */
function loginGates(config: Config, clock: Clock) {
  return {
    gate: createVerifyGate({ concurrency: SCRYPT_CONCURRENCY, maxQueued: SCRYPT_QUEUE }),
    connectGate: createConnectGate({ concurrency: CONNECT_CONCURRENCY, maxWaiting: CONNECT_QUEUE, maxWaitMs: config.CONNECT_TIMEOUT_MS / 2, clock }),
  };
}

/** Failed box logins counted per serial and address and per address (login-throttle.ts). */
function loginThrottleOf(config: Config, throttles: FailureThrottles | undefined) {
  const limits = {
    failuresBeforeBan: config.LOGIN_FAILURES_BEFORE_BAN,
    addressFailuresBeforeBan: config.LOGIN_FAILURES_BEFORE_BAN * 10,
    windowMs: config.LOGIN_BAN_S * 1000,
    banMs: config.LOGIN_BAN_S * 1000,
    maxTracked: 100_000,
  };
  return createLoginThrottle(limits, throttles);
}

// aedes' heartbeat between nodes (default 60 s): a dead node's wills go out after 4 of them.
const CLUSTER_HEARTBEAT_MS = 5000;

/** aedes as one node of the cluster: its id, the shared message bus and session store. */
function clusterOptions(cluster: ClusterBackplane) {
  return { id: cluster.nodeId, mq: cluster.mq, persistence: cluster.persistence, heartbeatInterval: CLUSTER_HEARTBEAT_MS };
}

/** aedes gives the wills it stores the id of the broker the box was connected to. */
function isWillOfAnotherNode(packet: object, nodeId: string): boolean {
  const brokerId = (packet as { brokerId?: unknown }).brokerId;
  return typeof brokerId === 'string' && brokerId !== nodeId;
}

/** What the backend sends boxes: commands and tunnel frames, at QoS 1 through aedes (and so to any node). */
function publishersTo(aedes: TelemetryRoutingAedes, log: Logger): Pick<RunningBroker, 'publishCommand' | 'publishTunnel'> {
  return {
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
    publishTunnel(serial, frame) {
      const packet = { cmd: 'publish' as const, topic: topicFor(serial, 'tun/down'), payload: frame, qos: 1 as const, retain: false, dup: false };
      return new Promise<void>((resolve) => {
        aedes.publish(packet, (err) => {
          if (err) log.error({ err, serial }, 'tunnel frame not published');
          resolve();
        });
      });
    },
  };
}

/** The embedded MQTT broker: aedes behind the pre-auth guard, with MT-BOX auth, ACL and intake. */
export async function startBroker(deps: BrokerDeps): Promise<RunningBroker> {
  const { config, logger, clock, cluster } = deps;
  const log = logger.child({ component: 'broker' });
  const sessions: BoxSessions = new WeakMap();
  const refusals = createRefusals(log);
  const throttle = loginThrottleOf(config, deps.throttles);
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
  const tunnels = createTunnelIntake({ clock, logger: log, ...(deps.onTunnelFrame ? { onFrame: deps.onTunnelFrame } : {}) });

  let aedes: TelemetryRoutingAedes;
  // aedes keeps its live connections by client id (= serial) but does not type the table.
  const current = (serial: string): Client | undefined => (aedes as unknown as { clients: Record<string, Client> }).clients[serial];

  aedes = await TelemetryRoutingAedes.start({
    authenticate: createAuthenticate({
      registry: deps.registry,
      boxSecrets: deps.boxSecrets,
      throttle,
      ...loginGates(config, clock),
      refusals,
      sessions,
      clock,
    }),
    authorizePublish: createAuthorizePublish({
      sessions,
      refusals,
      intake,
      tunnels,
      isSuperseded: (client) => {
        const live = current(client.id);
        // Or the box reconnected through another node of the cluster, as far as this one has heard.
        return (live !== undefined && live !== client) || cluster?.locations.heldElsewhere(client.id) === true;
      },
      ...(cluster ? { isForeignWill: (packet) => isWillOfAnotherNode(packet, cluster.nodeId) } : {}),
    }),
    authorizeSubscribe: createAuthorizeSubscribe({ sessions, refusals }),
    connectTimeout: config.CONNECT_TIMEOUT_MS,
    // No keepaliveLimit: aedes would answer CONNACK 0x06, reserved in MQTT 3.1.1 [MQTT-3.2.2-6].
    // The guard bounds a keep-alive of 0 or above KEEPALIVE_MAX_S instead (keepAliveMaxS in guarded-connection.ts).
    maxClientsIdLength: 23,
    // mtbox/{sn}/cmd/res is the deepest topic a box uses.
    maxTopicLevels: 8,
    // Packets a client may pipeline before its CONNECT is processed.
    queueLimit: 42,
    maxInflightInbound: 100,
    ...(cluster ? clusterOptions(cluster) : {}),
  });

  const events = watchClientEvents(aedes, {
    sessions,
    shadows: deps.shadows,
    clock,
    log,
    current,
    onBoxReady: deps.onBoxReady,
    locations: cluster?.locations,
  });
  const accept = createGuardedAccept(aedes, { config, log, clock, sessions, shadows: deps.shadows, refusals });
  let listeners: Listeners;
  try {
    listeners = await openListeners(config, { ...createProxyUnwrap({ config, refusals }), accept }, log);
  } catch (err) {
    // A listener could not bind: the broker does not stay half started.
    aedes.close();
    throw err;
  }
  const { port, tlsPort, tlsServer, servers } = listeners;

  return {
    port,
    tlsPort,
    aedes,
    stats: () => ({ connected: aedes.connectedClients, refusals: refusals.counts(), messages: intake.stats(), tunnelFrames: tunnels.stats() }),
    counts: () => ({ ...intake.counts(), connected: aedes.connectedClients, connectsAccepted: events.accepted(), refusals: refusals.counts() }),
    listening: () => servers.every((s) => s.listening),
    disconnect(serial) {
      current(serial)?.close();
    },
    // Connected here, or to another node as far as this one has heard.
    isConnected: (serial) => current(serial) !== undefined || cluster?.locations.holder(serial) !== undefined,
    ...publishersTo(aedes, log),
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
