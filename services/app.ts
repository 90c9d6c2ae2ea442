import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroker, type RunningBroker } from '../broker/server.ts';
import { bootstrapAdmin } from './accounts/bootstrap-admin.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { openSqlite, type Db } from './db/database.ts';
import { createHttpApp } from './http/app.ts';
import { createSqliteIntakeStore } from './intake/store/sqlite-intake-store.ts';
import type { Logger } from './logger.ts';
import { createShadowService, type ShadowService } from './presence/shadow-service.ts';
import { createSqliteShadowStore } from './presence/store/sqlite-shadow-store.ts';
import type { DeviceRegistry } from './registry/domain/registry-port.ts';
import { createSqliteDeviceRegistry } from './registry/store/sqlite-device-store.ts';
import { generateSecret, hashSecret, SCRYPT_COST } from './security/secrets.ts';
import { createSqliteTelemetryStore } from './telemetry/store/sqlite-telemetry-store.ts';

export interface App {
  mqttPort: number;
  httpPort: number;
  db: Db;
  registry: DeviceRegistry;
  shadows: ShadowService;
  broker: RunningBroker;
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

/** The composition root: config → stores → broker + HTTP. */
export async function startApp(config: Config, opts: { logger: Logger; clock?: Clock }): Promise<App> {
  const { logger } = opts;
  const clock = opts.clock ?? systemClock;
  const { db, sqlite, close: closeDb } = await openSqlite(config.DATA_DIR);

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

  const broker = await startBroker({ config, logger, clock, registry, intake, telemetry, shadows });

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
    health: () => ({ uptimeS: Math.round((clock() - startedAt) / 1000), mqtt: broker.stats() }),
    onDeviceDisabled: (serial: string) => broker.disconnect(serial),
  });
  const server = http.createServer(httpApp);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.HTTP_PORT, config.HTTP_HOST, () => resolve());
  });
  const httpPort = (server.address() as AddressInfo).port;
  logger.info({ port: httpPort }, 'HTTP API listening');

  const retention = setInterval(() => {
    const cutoff = clock() - config.TELEMETRY_RETENTION_DAYS * 86_400_000;
    telemetry.pruneBefore(cutoff).then(
      (n) => n > 0 && logger.info({ deleted: n }, 'telemetry retention sweep'),
      (err: unknown) => logger.error({ err }, 'telemetry retention sweep failed'),
    );
  }, RETENTION_SWEEP_MS);
  retention.unref();

  let stopped = false;
  return {
    mqttPort: broker.port,
    httpPort,
    db,
    registry,
    shadows,
    broker,
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
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await broker.close();
      telemetry.close();
      shadows.close();
      await closeDb();
    },
  };
}
