import type express from 'express';
import { createAfterSales, type AfterSales } from './after-sales/compose-after-sales.ts';
import { createCommandService, type CommandService } from './edge/commands/command-service.ts';
import type { CommandPort } from './edge/commands/domain/command-port.ts';
import type { IntakeStore } from './edge/intake/domain/intake-port.ts';
import { createSqliteIntakeStore } from './edge/intake/store/sqlite-intake-store.ts';
import { createPostgresIntakeStore } from './edge/intake/store/postgres-intake-store.ts';
import { createPresenceFeed, type PresenceFeed } from './edge/presence/presence-feed.ts';
import { createShadowService, type ShadowService } from './edge/presence/shadow-service.ts';
import { createPostgresShadowStore } from './edge/presence/store/postgres-shadow-store.ts';
import { createSqliteShadowStore } from './edge/presence/store/sqlite-shadow-store.ts';
import type { DeviceRegistry } from './edge/registry/domain/registry-port.ts';
import { createDeviceRegistry } from './edge/registry/store/device-store.ts';
import type { TelemetryStore } from './edge/telemetry/domain/telemetry-port.ts';
import type { Clock } from './kernel/clock.ts';
import type { Config } from './platform/config.ts';
import type { OpenedDatabase } from './platform/db/database.ts';
import { bindApiRoutes } from './compose-routes.ts';
import { composeTelemetry } from './compose-telemetry.ts';
import { pingDatabase, spoolFigures } from './compose-metrics.ts';
import type { MetricsExposition } from './platform/http/metrics-endpoint.ts';
import { checkReadiness, type Lifecycle, type Readiness } from './platform/metrics/index.ts';
import { listDecisions } from './after-sales/diagnostics/store/decision-store.ts';
import { listRepairedParts } from './after-sales/warranty/store/repaired-parts.ts';
import { listCommands } from './edge/commands/store/command-store.ts';
import { ACTIONS, can } from './platform/accounts/domain/roles.ts';
import type { SessionStore } from './platform/accounts/index.ts';
import { createSessionStore } from './platform/accounts/store/session-store.ts';
import { createUserStore } from './platform/accounts/store/user-store.ts';
import { createInvitationStore } from './platform/accounts/store/invitation-store.ts';
import { createPortalService, createPortalStore } from './after-sales/portal/index.ts';
import { createOrganisationStore } from './after-sales/organisations/store/organisation-store.ts';
import { type COSTLY_LIMITS, createHttpApp } from './platform/http/index.ts';
import { localFailureThrottles, type FailureThrottles } from './platform/security/failure-throttle.ts';
import type { RateLimiters } from './platform/security/shared-rate-limiter.ts';
import { openApiDocument } from './write-openapi.ts';
import type { Logger } from './platform/logger.ts';
import { createLiveBus, type LiveBus, publishCommitted } from './remote-support/realtime/live-events.ts';
import { type BoxSecretHasher, createBoxSecretHasher } from './platform/security/box-secret-hash.ts';
import { loadBoxSecretKey } from './platform/security/box-secret-key.ts';
import { generateSecret } from './platform/security/secrets.ts';
import { createTunnelService, type TunnelService } from './remote-support/tunnels/index.ts';

const SHADOW_FLUSH_MS = 2000;
const RETENTION_SWEEP_MS = 3600_000;
const COMMAND_SWEEP_MS = 60_000;
const HOUR_MS = 3_600_000;
/** A flapping box sends the dashboard at most one presence event per this interval. */
export const PRESENCE_EVENT_INTERVAL_MS = 1000;
/** Failures are counted over this window; LOGIN_FAILURES_BEFORE_BAN of them start a ban of LOGIN_BAN_S. */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * What the services need of the MQTT edge. The broker is started after the services (it
 * hands them what boxes send), so its methods are looked up late; without a broker (HTTP
 * tests) every box reads as offline.
 */
export interface EdgeLink {
  publishCommand: Parameters<typeof createCommandService>[0]['transport']['publish'];
  isConnected(serial: string): boolean;
  /** Ends a box's MQTT connection, e.g. after it was disabled or its secret replaced. */
  disconnect(serial: string): void;
  /** Broker figures merged into GET /api/health. */
  stats(): Record<string, unknown>;
  /** Publishes a PLC tunnel frame on the box's tun/down; without a broker (HTTP tests) nothing is sent. */
  publishTunnel?(serial: string, frame: Buffer): Promise<void>;
}

/** What the HTTP API learns from the parts around it (app.ts); HTTP-only tests give only the first. */
export interface HttpHooks {
  onSessionsRevoked(userId: number): void;
  /** For GET /api/ready: where start-up is, and the MQTT listener. Without it: ready once composed, no MQTT check. */
  readiness?: { lifecycle(): Lifecycle; mqttListening(): boolean };
  /** GET /metrics (METRICS_TOKEN set). */
  metrics?: MetricsExposition;
}

export interface Services {
  registry: DeviceRegistry;
  /** Hashes and checks box secrets under this node's key (BOX_SECRET_KEY or DATA_DIR/box-secret.key). */
  boxSecrets: BoxSecretHasher;
  intake: IntakeStore;
  telemetry: TelemetryStore;
  shadows: ShadowService;
  bus: LiveBus;
  /** The sign-in sessions, shared by the HTTP API and socket.io, so one login serves both. */
  sessions: SessionStore;
  commands: CommandService;
  afterSales: AfterSales;
  /** PLC tunnels: the broker hands them the boxes' tun/up frames, the HTTP server their streams. */
  tunnels: TunnelService;
  /** The HTTP API; `onSessionsRevoked` reaches the realtime layer attached to its server later. */
  httpApp(hooks: HttpHooks): express.Express;
  /** Registers boxes directly (demo fleets, benchmarks); one shared secret hashes once. */
  provision(serials: readonly string[], sharedSecret?: string): Promise<Array<{ serial: string; secret: string }>>;
  /** Writes buffered telemetry and shadows now. */
  flush(): void;
  /** GET /api/ready's answer, given where start-up is and the MQTT listener (HttpHooks.readiness). */
  ready(probe?: HttpHooks['readiness']): Promise<Readiness>;
  /** Starts the schedulers, resumes triage, and sweeps old telemetry and expired queued commands. */
  start(): Promise<void>;
  /** Stops the services' own work and writes what is buffered; the database stays open. */
  stop(): Promise<void>;
}

export interface ComposeOptions {
  logger: Logger;
  clock: Clock;
  edge: EdgeLink;
  commandPort?: CommandPort;
  costlyLimits?: typeof COSTLY_LIMITS;
  /** Told each triage decision's latency, ms (the metrics' histogram). */
  onDecided?: ((latencyMs: number) => void) | undefined;
  /** Told each telemetry batch the SQLite writer thread wrote: its points and seconds (the metrics' histograms). */
  onTelemetryWritten?: ((points: number, seconds: number) => void) | undefined;
  /** Makes the login throttles; default: this process's own (with REDIS_URL: shared by the nodes). */
  throttles?: FailureThrottles | undefined;
  /** Counts the budgets of costly calls; default: this process's own buckets (with REDIS_URL: shared by the nodes). */
  rateLimiters?: RateLimiters | undefined;
  /** In a cluster: boxes connected to another node, left online at start. */
  heldElsewhere?: ((deviceId: number) => boolean) | undefined;
  /**
   * In a cluster: this node's id, recorded on the live work it holds (commands it waits for,
   * tunnels, room participants). Start-up then leaves the others' work alone; a gone node's
   * is released by the cluster's sweep (compose-cluster.ts). Null or absent on a single node.
   */
  nodeId?: string | null | undefined;
}

/**
 * The one composition of stores and services over an open database, shared by the running
 * backend (services/app.ts adds the broker, the HTTP listener and socket.io) and the HTTP
 * tests. `commandPort` replaces what commands reach (a test simulating boxes at the port).
 */
export async function composeServices(config: Config, database: OpenedDatabase, opts: ComposeOptions): Promise<Services> {
  const { logger, clock, edge, onDecided } = opts;
  const nodeId = opts.nodeId ?? null;
  const { db } = database;
  const registry = createDeviceRegistry(db);
  const boxSecretKey = loadBoxSecretKey(config.BOX_SECRET_KEY, config.DATA_DIR);
  const boxSecrets = createBoxSecretHasher(boxSecretKey.key);
  logger.info({ keyId: boxSecrets.keyId, source: boxSecretKey.source }, 'box secrets are checked with this key');
  const intake = database.dialect === 'sqlite' ? createSqliteIntakeStore(db, database.sqlite) : createPostgresIntakeStore(db);
  const telemetry = composeTelemetry(config, database, { logger, clock, onBatchWritten: opts.onTelemetryWritten });
  const bus = createLiveBus({
    onListenerError: (err, event) => logger.error({ err, channel: event.channel, type: event.type }, 'live event listener failed'),
  });
  const presence = presenceOnBus(bus, registry, logger);
  // Created after the sessions it needs; presence changes before that have no tunnels to close.
  let tunnels: TunnelService | undefined;
  const shadows = await createShadowService(
    database.dialect === 'sqlite' ? createSqliteShadowStore(db, database.sqlite) : createPostgresShadowStore(db),
    {
      flushIntervalMs: SHADOW_FLUSH_MS,
      onFlushError: (err) => logger.error({ err }, 'device shadows could not be written; will retry'),
      onPresence: (change) => {
        presence.changed(change);
        // A box that drops offline takes its tunnels with it (the service exists by the time boxes connect).
        if (!change.online) tunnels?.onBoxOffline(change.deviceId);
      },
    },
  );
  const commands = createCommandService({
    db,
    clock,
    logger,
    transport: { publish: (serial, request) => edge.publishCommand(serial, request), isConnected: (serial) => edge.isConnected(serial) },
    // Seed: back up the parameters before they change; no backup, no change.
    beforeParamsSet: async (serial, actor) => {
      await afterSales.deps.params.backupBeforeParamsSet(serial, actor);
    },
    nodeId,
  });
  const lost = await commands.recover();
  if (lost > 0) logger.warn({ commands: lost }, 'commands that were waiting for an answer when the backend stopped are closed as timed out');
  const commandPort = opts.commandPort ?? commands;
  const afterSales = await createAfterSales({ config, database, clock, logger, bus, shadows, registry, commands: commandPort, onDecided, nodeId });
  // Before the broker and the HTTP server start: box messages find their open sessions, and
  // presence left over from before a restart is closed before anyone can join again.
  await afterSales.sessions.resume();
  const { service: tunnelService, stopWatching: stopSessionWatch } = composeTunnels(config, { db, clock, logger, edge, bus, afterSales, nodeId });
  tunnels = tunnelService;
  const startedAt = clock();
  const sessions = createSessionStore(db, config.SESSION_TTL_H * HOUR_MS);
  const sweeps: NodeJS.Timeout[] = [];

  return {
    registry,
    boxSecrets,
    intake,
    telemetry,
    shadows,
    bus,
    commands,
    afterSales,
    tunnels: tunnelService,
    sessions,
    httpApp: (hooks) =>
      composeHttpApp(config, {
        logger,
        clock,
        db,
        edge,
        registry,
        boxSecrets,
        shadows,
        telemetry,
        intake,
        afterSales,
        tunnels: tunnelService,
        startedAt,
        hooks,
        sessions,
        limits: opts,
      }),
    ready: (probe) => readiness(config, { db, telemetry, probe }),
    provision: (serials, sharedSecret) => provisionBoxes(registry, boxSecrets, clock(), serials, sharedSecret),
    flush() {
      telemetry.flush();
      shadows.flush();
    },
    async start() {
      await afterSales.start();
      await tunnelService.start();
      sweeps.push(
        setInterval(() => {
          const cutoff = clock() - config.TELEMETRY_RETENTION_DAYS * 86_400_000;
          telemetry.pruneBefore(cutoff).then(
            (n) => n > 0 && logger.info({ deleted: n }, 'telemetry retention sweep'),
            (err: unknown) => logger.error({ err }, 'telemetry retention sweep failed'),
          );
        }, RETENTION_SWEEP_MS),
        setInterval(() => {
          commands.expireQueued().catch((err: unknown) => logger.error({ err }, 'queued command sweep failed'));
        }, COMMAND_SWEEP_MS),
      );
      for (const t of sweeps) t.unref();
    },
    async stop() {
      for (const t of sweeps) clearInterval(t);
      stopSessionWatch();
      // Usually stopped already by the app before the broker closed (CLOSE reaches the boxes); idempotent.
      await tunnelService.stop();
      await commands.close();
      // Triage of faults the broker acknowledged last, and a running deadline pass, finish
      // before the database closes; anything left is resumed at the next start.
      await afterSales.stop();
      await telemetry.close();
      await shadows.close();
      presence.close();
    },
  };
}

/** PLC tunnels over the sessions (who may, the timeline) and the MQTT edge; an ended session's tunnels end with it. */
function composeTunnels(
  config: Config,
  parts: { db: OpenedDatabase['db']; clock: Clock; logger: Logger; edge: EdgeLink; bus: LiveBus; afterSales: AfterSales; nodeId: string | null },
): { service: TunnelService; stopWatching: () => void } {
  const { edge, afterSales } = parts;
  const service = createTunnelService({
    db: parts.db,
    clock: parts.clock,
    logger: parts.logger,
    edge: { isConnected: (serial) => edge.isConnected(serial), publish: (serial, frame) => edge.publishTunnel?.(serial, frame) ?? Promise.resolve() },
    sessions: {
      tunnelAccess: (sessionId, user) => afterSales.sessions.tunnelAccess(sessionId, user),
      requireSession: (sessionId) => afterSales.sessions.requireTunnelSession(sessionId),
      recordOpened: (sessionId, at, by, facts) => afterSales.sessions.recordTunnelOpened(sessionId, at, by, facts),
      recordClosed: (sessionId, at, by, facts) => afterSales.sessions.recordTunnelClosed(sessionId, at, by, facts),
    },
    config: { maxPerSession: config.TUNNEL_MAX_PER_SESSION, idleS: config.TUNNEL_IDLE_S, maxMin: config.TUNNEL_MAX_MIN },
    nodeId: parts.nodeId,
  });
  const stopWatching = parts.bus.subscribe((event) => {
    if (event.channel === 'sessions' && event.type === 'session.ended' && typeof event.id === 'number') service.onSessionEnded(event.id);
  });
  return { service, stopWatching };
}

/**
 * Presence changes as `device.online` / `device.offline` on the `devices` channel, paced per
 * box. The serial is read once per box (the shadow knows only the id); one promise per box
 * keeps a box's events in the order they were paced.
 */
function presenceOnBus(bus: LiveBus, registry: DeviceRegistry, logger: Logger): PresenceFeed {
  const serials = new Map<number, Promise<string | null>>();
  const serialOf = (deviceId: number) => {
    let serial = serials.get(deviceId);
    if (!serial) {
      serial = registry.serialOf(deviceId).catch((err: unknown) => {
        serials.delete(deviceId);
        logger.error({ err, deviceId }, 'presence event dropped: box not readable');
        return null;
      });
      serials.set(deviceId, serial);
    }
    return serial;
  };
  return createPresenceFeed({
    minIntervalMs: PRESENCE_EVENT_INTERVAL_MS,
    now: () => performance.now(),
    emit: (change) =>
      void serialOf(change.deviceId).then((serial) => {
        if (serial === null) return;
        const data = change.online ? { lastSeen: change.lastSeen, address: change.address } : { lastSeen: change.lastSeen };
        const type = change.online ? 'device.online' : 'device.offline';
        publishCommitted(bus, [{ channel: 'devices', type, id: serial, at: change.at, data }], logger);
      }),
  });
}

/** GET /api/ready's checks over the composed parts and what app.ts tells of start-up and the broker. */
function readiness(config: Config, parts: { db: OpenedDatabase['db']; telemetry: TelemetryStore; probe: HttpHooks['readiness'] }) {
  const r = parts.probe;
  return checkReadiness({
    lifecycle: r ? () => r.lifecycle() : () => 'ready',
    database: () => pingDatabase(parts.db),
    mqttListening: r ? () => r.mqttListening() : null,
    // Before the spool thread's first report nothing has failed yet.
    forwarder:
      config.TELEMETRY_STORE === 'influxdb' ? () => spoolFigures(parts.telemetry) ?? { failures: 0, lastError: null, oldestAgeS: null } : null,
  });
}

/** The HTTP API over the composed services: every capability's routes bound to what they need. */
function composeHttpApp(
  config: Config,
  parts: {
    logger: Logger;
    clock: Clock;
    db: OpenedDatabase['db'];
    edge: EdgeLink;
    registry: DeviceRegistry;
    boxSecrets: BoxSecretHasher;
    shadows: ShadowService;
    telemetry: TelemetryStore;
    intake: IntakeStore;
    afterSales: AfterSales;
    tunnels: TunnelService;
    startedAt: number;
    hooks: HttpHooks;
    sessions: SessionStore;
    /** Login throttles and the budgets of costly calls. */
    limits: Pick<ComposeOptions, 'costlyLimits' | 'rateLimiters' | 'throttles'>;
  },
): express.Express {
  const { logger, clock, db, edge, registry, boxSecrets, shadows, telemetry, intake, afterSales, startedAt, hooks } = parts;
  const deps = afterSales.deps;
  const { sessions } = parts;
  const users = createUserStore(db);
  const organisations = createOrganisationStore(db);
  const invitations = createInvitationStore(db);
  const routes = bindApiRoutes({
    system: {
      health: () => ({
        uptimeS: Math.round((clock() - startedAt) / 1000),
        mqtt: edge.stats(),
        diagnostics: afterSales.diagnostics.stats(),
        telemetry: telemetry.health(),
      }),
      openApiDocument: openApiDocument(),
      ready: () => readiness(config, { db, telemetry, probe: hooks.readiness }),
    },
    accounts: {
      config,
      clock,
      logger,
      users,
      sessions,
      loginThrottle: (parts.limits.throttles ?? localFailureThrottles).create('api-login', {
        maxFailures: config.LOGIN_FAILURES_BEFORE_BAN,
        windowMs: LOGIN_FAILURE_WINDOW_MS,
        banMs: config.LOGIN_BAN_S * 1000,
      }),
      onSessionsRevoked: (userId) => hooks.onSessionsRevoked(userId),
      invitations,
      organisationName: async (id) => (await organisations.get(id))?.name ?? null,
    },
    registry: { clock, logger, registry, boxSecrets, shadows, telemetry, intake, onDeviceDisabled: (serial) => edge.disconnect(serial) },
    warranty: { clock, registry, repairedParts: (deviceId) => listRepairedParts(db, deviceId) },
    diagnostics: { ...deps, registry, decisions: (filter) => listDecisions(db, filter) },
    rma: deps,
    platform: deps,
    sessions: deps,
    calendar: { calendar: deps.calendar, clock, logger },
    support: {},
    params: deps,
    commands: {
      registry,
      // Commands sent from a session are recorded on its timeline; the rest pass straight through.
      commands: afterSales.sessions.commands,
      // Engineers get access through the active remote-guidance session they are in on the box; admins always.
      commandAccess: (user, serial) => afterSales.sessions.commandAccess(user, serial),
      listCommands: (filter) => listCommands(db, filter),
    },
    tunnels: { tunnels: parts.tunnels },
    organisations: { clock, logger, organisations, invitations, users },
    notifications: { clock, logger, notifications: afterSales.notifications },
    portal: {
      portal: createPortalService({
        clock,
        calendar: deps.calendar,
        store: createPortalStore(db),
        rma: deps.rma,
        repairedParts: (deviceId) => listRepairedParts(db, deviceId),
        presence: (deviceId) => ({ online: shadows.onlineIds().has(deviceId), lastSeen: shadows.get(deviceId)?.lastSeen ?? null }),
      }),
    },
  });
  return createHttpApp({
    config,
    logger,
    clock,
    routes,
    sessions,
    authorize: (user, action) => can(user.role, action),
    actions: ACTIONS,
    ...(hooks.metrics ? { metrics: hooks.metrics } : {}),
    ...(parts.limits.costlyLimits ? { costlyLimits: parts.limits.costlyLimits } : {}),
    ...(parts.limits.rateLimiters ? { rateLimiters: parts.limits.rateLimiters } : {}),
  });
}

async function provisionBoxes(registry: DeviceRegistry, hasher: BoxSecretHasher, now: number, serials: readonly string[], sharedSecret?: string) {
  const shared = sharedSecret ? { secret: sharedSecret, secretHash: hasher.hash(sharedSecret) } : null;
  const rows = serials.map((serial) => {
    if (shared) return { serial, ...shared };
    const secret = generateSecret();
    return { serial, secret, secretHash: hasher.hash(secret) };
  });
  const result = await registry.createMany(
    rows.map((r) => ({ input: { serial: r.serial, model: 'MT-BOX-4G' }, secretHash: r.secretHash })),
    now,
  );
  if (!result.ok) throw new Error(`already registered: ${result.error.serials.slice(0, 5).join(', ')}`);
  return rows.map(({ serial, secret }) => ({ serial, secret }));
}
