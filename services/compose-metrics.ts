import { hostname } from 'node:os';
import { sql } from 'kysely';
import { deadlineCounts } from './after-sales/scheduler/index.ts';
import type { Clock } from './kernel/clock.ts';
import type { RunningBroker } from '../broker/server.ts';
import type { AfterSales } from './after-sales/compose-after-sales.ts';
import type { TelemetryStore } from './edge/telemetry/domain/telemetry-port.ts';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import type { MetricsExposition } from './platform/http/metrics-endpoint.ts';
import { APP_VERSION } from './platform/app-version.ts';
import {
  type BackendMetrics,
  type BackupFigures,
  createBackendMetrics,
  type ForwarderFigures,
  type MetricSources,
  type SpoolFigures,
} from './platform/metrics/index.ts';

/** Ticket states after which nothing more happens (rma-ticket.ts TERMINAL_STATES; platform: closed). */
const CLOSED = { rma: ['closed', 'cancelled'], platform: ['closed'] } as const;

/**
 * Open tickets by process and state: one grouped count per table, answered from the state
 * indexes (rma_tickets_state, platform_tickets_state) without reading the tickets themselves.
 */
export async function openTicketCounts(db: Db): Promise<Array<{ process: string; state: string; n: number }>> {
  const count = (table: 'rma_tickets' | 'platform_tickets', closed: readonly string[]) =>
    db
      .selectFrom(table)
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('state', 'not in', closed)
      .groupBy('state')
      .execute();
  const [rma, platform] = await Promise.all([count('rma_tickets', CLOSED.rma), count('platform_tickets', CLOSED.platform)]);
  return [
    ...rma.map((r) => ({ process: 'rma', state: r.state, n: Number(r.n) })),
    ...platform.map((r) => ({ process: 'platform', state: r.state, n: Number(r.n) })),
  ];
}

/** A trivial query: the database answers. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

/** The InfluxDB spool and forwarder figures from telemetry.health(); null with SQLite or before the first report. */
export function spoolFigures(telemetry: TelemetryStore): (SpoolFigures & ForwarderFigures) | null {
  const h = telemetry.health();
  if (h.kind !== 'influxdb') return null;
  // The shape influx-telemetry-store.ts health() builds; the port types it loosely for /api/health.
  const spool = h.spool as { points: number | null; bytes: number | null; oldestAgeS: number | null; setAside: number | null };
  const forwarder = h.forwarder as { forwarded: number; failures: number; lastError: string | null };
  return { ...spool, forwarded: forwarder.forwarded, failures: forwarder.failures, lastError: forwarder.lastError };
}

/** The parts that exist only later in start-up (the services, then the broker, then socket.io), looked up at scrape time. */
export interface LateParts {
  services: { telemetry: TelemetryStore; afterSales: AfterSales; commands: { outcomes(): Readonly<Record<string, number>> } } | null;
  broker: RunningBroker | null;
  socketioClients(): number;
  /** The backup schedule, once started. */
  backups: { status(): BackupFigures } | null;
}

function metricSources(db: Db, clock: Clock, late: LateParts): MetricSources {
  return {
    edge() {
      if (!late.broker) return null;
      const c = late.broker.counts();
      return { connected: c.connected, connectsAccepted: c.connectsAccepted, refusals: c.refusals, messages: c.received, rejected: c.rejected };
    },
    diagnostics: () => late.services?.afterSales.diagnostics.stats() ?? { decided: 0, failed: 0, pending: 0 },
    openTickets: () => openTicketCounts(db),
    socketioClients: () => late.socketioClients(),
    spool: () => (late.services ? spoolFigures(late.services.telemetry) : null),
    backups: () => late.backups?.status() ?? null,
    commands: () => late.services?.commands.outcomes() ?? {},
    telemetryQueue: () => late.services?.telemetry.queuedPoints?.() ?? null,
    deadlines: () => deadlineCounts(db, clock()),
  };
}

/** What the services tell the metrics as it happens (composeServices' options of the same names). */
export interface MetricObservers {
  onDecided(latencyMs: number): void;
  onTelemetryWritten(points: number, seconds: number): void;
}

/**
 * The Prometheus metrics when METRICS_TOKEN is set; null otherwise, so a backend without a
 * scraper runs no collectors (prom-client's default metrics watch the event loop and GC).
 */
export function composeMetrics(
  config: Config,
  db: Db,
  clock: Clock,
  late: LateParts,
): { metrics: BackendMetrics; exposition: MetricsExposition; observers: MetricObservers } | null {
  const token = config.METRICS_TOKEN;
  if (token === undefined) return null;
  const metrics = createBackendMetrics(metricSources(db, clock, late), {
    spool: config.TELEMETRY_STORE === 'influxdb',
    // The host name until nodes of a cluster get ids of their own.
    node: { node: hostname(), version: APP_VERSION },
  });
  return {
    metrics,
    exposition: { token, render: () => metrics.render() },
    observers: {
      onDecided: (ms) => metrics.observeDecision(ms),
      onTelemetryWritten: (points, seconds) => metrics.observeTelemetryBatch(points, seconds),
    },
  };
}
