import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroker, type RunningBroker } from '../broker/server.ts';
import { readTlsFiles } from '../broker/tls-files.ts';
import { bootstrapAdmin } from './platform/accounts/bootstrap-admin.ts';
import { systemClock, type Clock } from './kernel/clock.ts';
import type { Config } from './platform/config.ts';
import { openSqlite, type Db } from './platform/db/database.ts';
import { createHttpApp } from './platform/http/app.ts';
import { createSqliteIntakeStore } from './edge/intake/store/sqlite-intake-store.ts';
import type { Logger } from './platform/logger.ts';
import { createShadowService, type ShadowService } from './edge/presence/shadow-service.ts';
import { createSqliteShadowStore } from './edge/presence/store/sqlite-shadow-store.ts';
import type { DeviceRegistry } from './edge/registry/domain/registry-port.ts';
import { createSqliteDeviceRegistry } from './edge/registry/store/sqlite-device-store.ts';
import { generateSecret, hashSecret, SCRYPT_COST } from './platform/security/secrets.ts';
import { createSqliteTelemetryStore } from './edge/telemetry/store/sqlite-telemetry-store.ts';
import { createSqliteSessionStore } from './platform/accounts/store/sqlite-session-store.ts';
import { createAfterSales, type AfterSales } from './after-sales/compose-after-sales.ts';
import { createCommandService, type CommandService } from './edge/commands/command-service.ts';
import { createLiveBus, type LiveBus } from './remote-support/realtime/live-events.ts';
import { attachRealtime } from './remote-support/realtime/socket-server.ts';

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
  /** Registers boxes directly (demo fleets, benchmarks); one shared secret hashes once. */
  provision(serials: readonly string[], sharedSecret?: string): Promise<Array<{ serial: string; secret: string }>>;
  storedTelemetryCount(): Promise<number>;
  /** Writes buffered telemetry and shadows now. */
  flush(): void;
  stop(): Promise<void>;
}

const TELEMETRY_BATCH = 1000;
const TELEMETRY_FLUSH_MS = 250;
const SHADOW_FLUSH_MS = 2000;
const RETENTION_SWEEP_MS = 3600_000;
const COMMAND_SWEEP_MS = 60_000;

/** The composition root: config → stores → broker + HTTP. */
export async function startApp(config: Config, opts: { logger: Logger; clock?: Clock }): Promise<App> {
  const { logger } = opts;
  const clock = opts.clock ?? systemClock;
  // An unreadable TLS file stops start-up before anything is opened (the broker reads them again).
  if (config.MQTT_TLS_PORT !== undefined) readTlsFiles(config);
  const { db, sqlite, tightened, close: closeDb } = await openSqlite(config.DATA_DIR);
  for (const t of tightened) {
    if (t.error) logger.warn(t, 'data directory is open to other users and could not be narrowed; its files are private');
    else logger.warn(t, 'data file was open to other users; narrowed to the service user');
  }

  await bootstrapAdmin({ db, adminPassword: config.ADMIN_PASSWORD, logger, clock });
  const registry = createSqliteDeviceRegistry(db);
  const intake = createSqliteIntakeStore(db);
  const telemetry = createSqliteTelemetryStore(db, sqlite, {
    batchSize: TELEMETRY_BATCH,
    flushIntervalMs: TELEMETRY_FLUSH_MS,
    onFlushError: (err, lost) => logger.error({ err, lost }, 'telemetry batch could not be written'),
  });
  const shadows = await createShadowService(createSqliteShadowStore(db, sqlite), {
    flushIntervalMs: SHADOW_FLUSH_MS,
    onFlushError: (err) => logger.error({ err }, 'device shadows could not be written; will retry'),
  });

  const bus = createLiveBus({
    onListenerError: (err, event) => logger.error({ err, channel: event.channel, type: event.type }, 'live event listener failed'),
  });
  // The command service publishes through the broker, which hands it the answers.
  let brokerRef: RunningBroker | null = null;
  const commands = createCommandService({
    db,
    clock,
    logger,
    transport: {
      publish: (serial, request) => brokerRef?.publishCommand(serial, request),
      isConnected: (serial) => brokerRef?.isConnected(serial) ?? false,
    },
    // Seed: back up the parameters before they change; no backup, no change.
    beforeParamsSet: async (serial, actor) => {
      await afterSales.deps.params.backupBeforeParamsSet(serial, actor);
    },
  });
  const lost = await commands.recover();
  if (lost > 0) logger.warn({ commands: lost }, 'commands that were waiting for an answer when the backend stopped are closed as timed out');
  const afterSales = createAfterSales({ config, db, clock, logger, bus, shadows, commands });
  // Before the broker and the HTTP server start: box messages find their open sessions, and
  // presence left over from before a restart is closed before anyone can join again.
  await afterSales.sessions.resume();

  const broker = await startBroker({
    config,
    logger,
    clock,
    registry,
    intake,
    telemetry,
    shadows,
    onStored: (kind, rowId) => afterSales.diagnostics.enqueue(kind, rowId),
    onCommandResponse: (serial, response) => commands.onResponse(serial, response),
    onInvalidCommandResponse: (serial, id, reason, detail) => commands.onInvalidResponse(serial, id, reason, detail),
    onBoxReady: (serial) => commands.onBoxReady(serial),
    onAccepted: (serial, channel, payload) => afterSales.sessions.onDeviceMessage(serial, channel, payload),
  });
  brokerRef = broker;

  const startedAt = clock();
  const httpApp = createHttpApp({
    config,
    logger,
    clock,
    db,
    registry,
    shadows,
    telemetry,
    intake,
    afterSales: afterSales.deps,
    remote: {
      // Commands sent from a session are recorded on its timeline; the rest pass straight through.
      commands: afterSales.sessions.commands,
      // Engineers get access through the active remote-guidance session they are in on the box; admins always.
      commandAccess: (user, serial) => afterSales.sessions.commandAccess(user, serial),
    },
    health: () => ({
      uptimeS: Math.round((clock() - startedAt) / 1000),
      mqtt: broker.stats(),
      diagnostics: afterSales.diagnostics.stats(),
    }),
    onDeviceDisabled: (serial: string) => broker.disconnect(serial),
    // `realtime` is attached to the server built from this app, below; no request (and so no
    // call) arrives before listen(), by which time it is set.
    onSessionsRevoked: (userId: number) => void realtime.recheckUser(userId),
  });
  const server = http.createServer(httpApp);
  // Attached before listen: engine.io takes over the server's request listeners.
  const realtime = attachRealtime(server, {
    // The HTTP API's session table and lifetime, so one login serves both.
    sessions: createSqliteSessionStore(db, config.SESSION_TTL_H * 3_600_000),
    clock,
    logger,
    bus,
    remoteSessions: afterSales.sessions,
    allowedOrigin: config.ALLOWED_ORIGINS,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.HTTP_PORT, config.HTTP_HOST, () => resolve());
  });
  const httpPort = (server.address() as AddressInfo).port;
  logger.info({ port: httpPort }, 'HTTP API listening');
  await afterSales.start();

  const retention = setInterval(() => {
    const cutoff = clock() - config.TELEMETRY_RETENTION_DAYS * 86_400_000;
    telemetry.pruneBefore(cutoff).then(
      (n) => n > 0 && logger.info({ deleted: n }, 'telemetry retention sweep'),
      (err: unknown) => logger.error({ err }, 'telemetry retention sweep failed'),
    );
  }, RETENTION_SWEEP_MS);
  retention.unref();
  const commandSweep = setInterval(() => {
    commands.expireQueued().catch((err: unknown) => logger.error({ err }, 'queued command sweep failed'));
  }, COMMAND_SWEEP_MS);
  commandSweep.unref();

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
    async provision(serials, sharedSecret) {
      const shared = sharedSecret ? await hashSecret(sharedSecret, SCRYPT_COST.deviceSecret) : null;
      const rows = await Promise.all(
        serials.map(async (serial) => {
          const secret = sharedSecret ?? generateSecret();
          return { serial, secret, secretHash: shared ?? (await hashSecret(secret, SCRYPT_COST.deviceSecret)) };
        }),
      );
      const result = await registry.createMany(
        rows.map((r) => ({ input: { serial: r.serial, model: 'MT-BOX-4G' }, secretHash: r.secretHash })),
        clock(),
      );
      if (!result.ok) throw new Error(`already registered: ${result.error.serials.slice(0, 5).join(', ')}`);
      return rows.map(({ serial, secret }) => ({ serial, secret }));
    },
    async storedTelemetryCount() {
      telemetry.flush();
      const r = await db.selectFrom('telemetry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    flush() {
      telemetry.flush();
      shadows.flush();
    },
    // Graceful: stop accepting, let the broker close its clients (presence goes offline),
    // then write what is still buffered before the database closes.
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(retention);
      clearInterval(commandSweep);
      // First: upgraded WebSockets are not HTTP connections, so closeAllConnections()
      // leaves them open and server.close() would wait for them.
      await realtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await broker.close();
      await commands.close();
      // Triage of faults the broker acknowledged last, and a running deadline pass, finish
      // before the database closes; anything left is resumed at the next start.
      await afterSales.stop();
      telemetry.close();
      shadows.close();
      await closeDb();
    },
  };
}
