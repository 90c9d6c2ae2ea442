import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroker, type RunningBroker } from '../broker/server.ts';
import { readTlsFiles } from '../broker/tls-files.ts';
import { systemClock, type Clock } from './kernel/clock.ts';
import type { Config } from './platform/config.ts';
import { acquireDataDirLock, openDatabase, type Db, type OpenedDatabase } from './platform/db/index.ts';
import type { Logger } from './platform/logger.ts';
import type { DeviceRegistry } from './edge/registry/domain/registry-port.ts';
import { createParticipantLimits } from './remote-support/realtime/participant-limits.ts';
import { attachRealtime } from './remote-support/realtime/socket-server.ts';
import type { AfterSales } from './after-sales/compose-after-sales.ts';
import type { CommandService } from './edge/commands/command-service.ts';
import type { ShadowService } from './edge/presence/shadow-service.ts';
import type { LiveBus } from './remote-support/realtime/live-events.ts';
import { composeServices, type Services } from './compose-services.ts';
import { composeMetrics, type LateParts } from './compose-metrics.ts';
import type { Lifecycle, Readiness } from './platform/metrics/index.ts';
import { bootstrapAdmin } from './platform/accounts/bootstrap-admin.ts';
import { attachTunnelStream, type TunnelService } from './remote-support/tunnels/index.ts';
import { backupScheduleOf, startBackupScheduler, type BackupScheduler } from './platform/backup/index.ts';
import { openRedis, type RedisConnection } from './platform/redis/index.ts';
import { type ClusterForwarding, type ClusterParts, composeCluster, joinCluster } from './compose-cluster.ts';
import {
  createSharedFailureThrottles,
  createSharedRateLimiters,
  localFailureThrottles,
  localRateLimiters,
  type FailureThrottles,
} from './platform/security/index.ts';

export interface App {
  /** The plain MQTT port; throws when MQTT_PORT is off (see broker.port and mqttTlsPort). */
  readonly mqttPort: number;
  /** The MQTT over TLS port; null without MQTT_TLS_PORT. */
  mqttTlsPort: number | null;
  httpPort: number;
  db: Db;
  registry: DeviceRegistry;
  shadows: ShadowService;
  broker: RunningBroker;
  /** Where capabilities publish changes for the dashboard's live view. */
  bus: LiveBus;
  afterSales: AfterSales;
  commands: CommandService;
  tunnels: TunnelService;
  /** The scheduled backups of the database (BACKUP_INTERVAL_H) and how they went. */
  backups: BackupScheduler;
  /** Registers boxes directly (demo fleets, benchmarks); one shared secret hashes once. */
  provision(serials: readonly string[], sharedSecret?: string): Promise<Array<{ serial: string; secret: string }>>;
  storedTelemetryCount(): Promise<number>;
  /** Writes buffered telemetry and shadows now. */
  flush(): void;
  /** What GET /api/ready answers; not ready before start-up finished and once stop() began. */
  ready(): Promise<Readiness>;
  /**
   * Shutdown has begun: /api/ready answers 503 `shutting down` from now on, while everything
   * keeps serving until stop(), so a load balancer takes the node out first (SHUTDOWN_DRAIN_S).
   */
  drain(): void;
  stop(): Promise<void>;
}

/** The composition root: config → database → services (compose-services.ts) → broker + HTTP + socket.io. */
export async function startApp(config: Config, opts: { logger: Logger; clock?: Clock }): Promise<App> {
  const clock = opts.clock ?? systemClock;
  // Held before anything is opened: a second server (or a newer version's migrations) must not
  // start on a database a live server is using. Released at the end of stop().
  mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  const lock = acquireDataDirLock(config.DATA_DIR, clock());
  // Clustering (REDIS_URL): what the nodes share besides the database, so far the login throttles.
  // It connects in the background; a start that fails must not leave it reconnecting.
  const redis = config.REDIS_URL === undefined ? null : openRedis(config.REDIS_URL, opts.logger);
  try {
    return await startHolding(config, { logger: opts.logger, clock, redis }, lock);
  } catch (err) {
    await redis?.close();
    lock.release();
    throw err;
  }
}

async function startHolding(
  config: Config,
  opts: { logger: Logger; clock: Clock; redis: RedisConnection | null },
  lock: { release(): void },
): Promise<App> {
  const { logger, clock, redis } = opts;
  // An unreadable TLS file stops start-up before anything is opened (the broker reads them again).
  if (config.MQTT_TLS_PORT !== undefined) readTlsFiles(config);
  const opened = await openConfiguredDatabase(config, logger);
  const { db, close: closeDb } = opened;
  const throttles = redis ? createSharedFailureThrottles(redis, { logger, clock }) : localFailureThrottles;
  const rateLimiters = redis ? createSharedRateLimiters(redis, logger) : localRateLimiters;
  const cluster = redis ? await composeCluster(redis, logger, { dataDir: config.DATA_DIR }) : null;

  await bootstrapAdmin({ db, adminPassword: config.ADMIN_PASSWORD, logger, clock });
  // GET /api/ready refuses until start-up finished and again once stop() began.
  let lifecycle: Lifecycle = 'starting';
  const late: LateParts = { services: null, broker: null, socketioClients: () => 0, backups: null };
  const metrics = composeMetrics(config, db, clock, late);
  // The command service publishes through the broker, which hands it the answers.
  let brokerRef: RunningBroker | null = null;
  const services = await composeServices(config, opened, {
    logger,
    clock,
    edge: {
      publishCommand: (serial, request) => brokerRef?.publishCommand(serial, request),
      isConnected: (serial) => brokerRef?.isConnected(serial) ?? false,
      disconnect: (serial) => {
        brokerRef?.disconnect(serial);
        forwarding?.disconnect(serial);
      },
      publishTunnel: (serial, frame) => brokerRef?.publishTunnel(serial, frame) ?? Promise.resolve(),
      stats: () => brokerRef?.stats() ?? {},
    },
    ...metrics?.observers,
    throttles,
    rateLimiters,
    heldElsewhere: cluster ? (deviceId) => cluster.locations.holderOfDevice(deviceId) !== undefined : undefined,
    nodeId: cluster?.link.nodeId ?? null,
  });
  late.services = services;
  const { registry, telemetry, shadows, bus, commands, afterSales, tunnels } = services;
  const forwarding =
    cluster && redis ? joinCluster(cluster, services, { redis, clock, logger, disconnectHere: (serial) => brokerRef?.disconnect(serial) }) : null;

  const broker = await startEdge(config, services, { logger, clock, throttles, cluster, forwarding });
  brokerRef = broker;
  late.broker = broker;

  // `realtime` is attached to the server built from this app, below; no request (and so no
  // call) arrives before listen(), by which time it is set.
  const readiness = { lifecycle: () => lifecycle, mqttListening: () => broker.listening() };
  const httpApp = services.httpApp({
    onSessionsRevoked: (userId) => void realtime.recheckUser(userId),
    readiness,
    ...(metrics ? { metrics: metrics.exposition } : {}),
  });
  const server = http.createServer(httpApp);
  // Attached before listen: engine.io takes over the server's request listeners.
  const realtime = attachRealtime(server, {
    // The HTTP API's session table and lifetime, so one login serves both.
    sessions: services.sessions,
    clock,
    logger,
    bus,
    remoteSessions: afterSales.sessions,
    allowedOrigin: config.ALLOWED_ORIGINS,
    limits: createParticipantLimits(undefined, rateLimiters),
    // Connections of their own: the adapter's subscriber takes no other commands.
    ...(redis ? { cluster: { publisher: redis.dedicated(), subscriber: redis.dedicated() } } : {}),
  });
  late.socketioClients = () => realtime.io.of('/').sockets.size;
  // The tunnels' WebSocket streams, on their own path; socket.io keeps its own.
  const tunnelStream = attachTunnelStream(server, { tunnels, sessions: services.sessions, clock, logger, allowedOrigins: config.ALLOWED_ORIGINS });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.HTTP_PORT, config.HTTP_HOST, () => resolve());
  });
  const httpPort = (server.address() as AddressInfo).port;
  logger.info({ port: httpPort }, 'HTTP API listening');
  await services.start();
  const backups = startBackups(config, { clock, logger }, late);
  lifecycle = 'ready';

  let stopped = false;
  return {
    get mqttPort() {
      if (broker.port === null) throw new Error('plain MQTT is off (MQTT_PORT=off)');
      return broker.port;
    },
    mqttTlsPort: broker.tlsPort,
    httpPort,
    db,
    registry,
    shadows,
    broker,
    bus,
    afterSales,
    commands,
    tunnels,
    backups,
    provision: (serials, sharedSecret) => services.provision(serials, sharedSecret),
    storedTelemetryCount: () => storedTelemetryCount(db, telemetry),
    flush: () => services.flush(),
    ready: () => services.ready(readiness),
    drain() {
      lifecycle = 'stopping';
    },
    // Graceful: stop accepting, let the broker close its clients (presence goes offline),
    // then write what is still buffered before the database closes.
    async stop() {
      lifecycle = 'stopping';
      if (stopped) return;
      stopped = true;
      await stopInOrder({ backups, tunnels, tunnelStream, realtime, server, broker, services, forwarding, redis, closeDb, metrics, lock });
    },
  };
}

/** Graceful shutdown, each part after the ones that still need it. */
async function stopInOrder(parts: {
  backups: BackupScheduler;
  tunnels: TunnelService;
  tunnelStream: { close(): Promise<void> };
  realtime: { close(): Promise<void> };
  server: http.Server;
  broker: RunningBroker;
  services: Services;
  forwarding: ClusterForwarding | null;
  redis: RedisConnection | null;
  closeDb: () => Promise<void>;
  metrics: { metrics: { stop(): void } } | null;
  lock: { release(): void };
}): Promise<void> {
  const { backups, tunnels, tunnelStream, realtime, server, broker, services, forwarding, redis, closeDb, metrics, lock } = parts;
  await backups.stop();
  // Tunnels first, while the broker can still tell each box (CLOSE backend-stopping) and
  // the database can record them; then their streams.
  await tunnels.stop();
  await tunnelStream.close();
  // Then: upgraded WebSockets are not HTTP connections, so closeAllConnections()
  // leaves them open and server.close() would wait for them.
  await realtime.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await broker.close();
  await services.stop();
  await forwarding?.leave();
  await redis?.close();
  await closeDb();
  metrics?.metrics.stop();
  lock.release();
}

/** The database DATABASE_URL or DATA_DIR names, with what start-up had to narrow logged. */
async function openConfiguredDatabase(config: Config, logger: Logger): Promise<OpenedDatabase> {
  const opened = await openDatabase({
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    onIdleError: (err) => logger.warn({ err }, 'an idle database connection failed; the next query opens a fresh one'),
  });
  for (const t of opened.dialect === 'sqlite' ? opened.tightened : []) {
    if (t.error) logger.warn(t, 'data directory is open to other users and could not be narrowed; its files are private');
    else logger.warn(t, 'data file was open to other users; narrowed to the service user');
  }
  return opened;
}

/** The scheduled backups (BACKUP_INTERVAL_H), their figures handed to the metrics. */
function startBackups(config: Config, opts: { logger: Logger; clock: Clock }, late: LateParts): BackupScheduler {
  const backups = startBackupScheduler(backupScheduleOf(config, opts));
  late.backups = backups;
  return backups;
}

/** Telemetry rows in SQLite, once what is buffered is written. */
async function storedTelemetryCount(db: Db, telemetry: Services['telemetry']): Promise<number> {
  telemetry.flush();
  const r = await db
    .selectFrom('telemetry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The MQTT broker over the composed services: what boxes send reaches them through its hooks. */
function startEdge(
  config: Config,
  services: Services,
  opts: { logger: Logger; clock: Clock; throttles: FailureThrottles; cluster: ClusterParts | null; forwarding: ClusterForwarding | null },
): Promise<RunningBroker> {
  const { registry, intake, telemetry, shadows, commands, afterSales, tunnels } = services;
  return startBroker({
    config,
    logger: opts.logger,
    clock: opts.clock,
    registry,
    boxSecrets: services.boxSecrets,
    intake,
    telemetry,
    shadows,
    onStored: (kind, rowId) => afterSales.diagnostics.enqueue(kind, rowId),
    // An answer no request here waits for may have a caller on another node.
    onCommandResponse: (serial, response) => commands.onResponse(serial, response) || opts.forwarding?.answer(serial, response),
    onInvalidCommandResponse: (serial, id, reason, detail) =>
      commands.onInvalidResponse(serial, id, reason, detail) || opts.forwarding?.invalidAnswer(serial, id, reason, detail),
    onBoxReady: (serial) => commands.onBoxReady(serial),
    onAccepted: (serial, channel, payload) => afterSales.sessions.onDeviceMessage(serial, channel, payload),
    onTunnelFrame: (serial, payload) => tunnels.onFrame(serial, payload),
    throttles: opts.throttles,
    cluster: opts.cluster?.backplane,
  });
}
