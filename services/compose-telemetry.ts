import path from 'node:path';
import type { TelemetryStore } from './edge/telemetry/domain/telemetry-port.ts';
import { createInfluxTelemetryStore } from './edge/telemetry/store/influx-telemetry-store.ts';
import { createInfluxQlReader } from './edge/telemetry/store/influxql-telemetry-query.ts';
import { createPostgresTelemetryStore } from './edge/telemetry/store/postgres-telemetry-store.ts';
import { createSqliteTelemetryStore } from './edge/telemetry/store/sqlite-telemetry-store.ts';
import type { Clock } from './kernel/clock.ts';
import type { Config } from './platform/config.ts';
import type { OpenedDatabase } from './platform/db/database.ts';
import type { Logger } from './platform/logger.ts';

const TELEMETRY_BATCH = 1000;
const TELEMETRY_FLUSH_MS = 250;
export const SPOOL_FILE = 'telemetry-spool.sqlite';

/** The telemetry store TELEMETRY_STORE names: the main database (SQLite or PostgreSQL), or InfluxDB behind a spool. */
export function composeTelemetry(
  config: Config,
  database: OpenedDatabase,
  deps: { logger: Logger; clock: Clock; onBatchWritten?: ((points: number, seconds: number) => void) | undefined },
): TelemetryStore {
  const { logger } = deps;
  const onError = (err: unknown, lost: number) => logger.error({ err, lost }, 'telemetry batch could not be written');
  if (config.TELEMETRY_STORE === 'sqlite') {
    const batching = { batchSize: TELEMETRY_BATCH, flushIntervalMs: TELEMETRY_FLUSH_MS, onFlushError: onError, onBatchWritten: deps.onBatchWritten };
    // TELEMETRY_STORE=sqlite names the backend's own database, whichever engine DATABASE_URL chose.
    return database.dialect === 'sqlite'
      ? createSqliteTelemetryStore(database.db, database.sqlite, batching)
      : createPostgresTelemetryStore(database.db, batching);
  }
  // loadConfig has checked that the four are set with TELEMETRY_STORE=influxdb.
  const target = { url: config.INFLUX_URL!, token: config.INFLUX_TOKEN!, org: config.INFLUX_ORG!, bucket: config.INFLUX_BUCKET! };
  logger.info({ url: target.url, org: target.org, bucket: target.bucket }, 'telemetry goes to InfluxDB through the spool');
  return createInfluxTelemetryStore({
    spoolFile: path.join(config.DATA_DIR, SPOOL_FILE),
    spoolLimitBytes: config.TELEMETRY_SPOOL_MB * 1024 * 1024,
    target,
    reader: createInfluxQlReader({
      url: config.INFLUX_QUERY_URL ?? target.url,
      token: target.token,
      database: config.INFLUX_DATABASE ?? target.bucket,
      ...(config.INFLUX_RETENTION_POLICY ? { retentionPolicy: config.INFLUX_RETENTION_POLICY } : {}),
    }),
    batchSize: TELEMETRY_BATCH,
    flushIntervalMs: TELEMETRY_FLUSH_MS,
    clock: deps.clock,
    onError,
    onSetAside: (points, reason) =>
      logger.error(
        { points, reason, table: `${SPOOL_FILE} set_aside` },
        'InfluxDB refused telemetry as invalid; the points are kept in the spool file',
      ),
  });
}
