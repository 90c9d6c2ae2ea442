import { type CalendarService, openCalendarService, openCalendarStore } from './calendar/calendar-service.ts';
import type { Clock } from '../kernel/clock.ts';
import type { CommandPort } from '../edge/commands/domain/command-port.ts';
import type { Config } from '../platform/config.ts';
import type { OpenedDatabase } from '../platform/db/index.ts';
import { loadShippedCatalog, loadShippedRules } from './diagnostics/catalog/load-catalog.ts';
import { createCaseService, type CaseService } from './diagnostics/case-service.ts';
import type { CatalogIndex } from './diagnostics/domain/fault-catalog.ts';
import type { TriageRules } from './diagnostics/domain/triage-rules.ts';
import { createDiagnostics, type Diagnostics, type TriageDevice } from './diagnostics/diagnostics-service.ts';
import type { Logger } from '../platform/logger.ts';
import { createParamBackupService, type BoxIdentity, type ParamBackupService } from '../remote-support/params/param-backup-service.ts';
import { startScheduledBackups, type ScheduledBackups } from '../remote-support/params/scheduled-backups.ts';
import type { ShadowReader } from '../edge/presence/domain/shadow.ts';
import { createPlatformService, type PlatformService } from './platform-tickets/platform-service.ts';
import type { LiveBus } from '../remote-support/realtime/live-events.ts';
import type { DeviceRegistry } from '../edge/registry/index.ts';
import { createRemoteSessions, type RemoteSessions } from '../remote-support/sessions/remote-sessions.ts';
import { createRmaService, type RmaService } from './rma/rma-service.ts';
import type { SessionLifecycle } from '../remote-support/sessions/session-lifecycle.ts';
import { listSnapshots } from '../remote-support/params/index.ts';
import { listRepairedParts, recordRepairedParts } from './warranty/index.ts';
import { createDeadlineScheduler, type DeadlineScheduler } from './scheduler/deadline-scheduler.ts';
import { createNotificationService, type NotificationService } from './notifications/index.ts';

/** The after-sales services the composition root hands the routes. */
export interface AfterSalesDeps {
  catalog: CatalogIndex;
  rules: TriageRules;
  calendar: CalendarService;
  cases: CaseService;
  rma: RmaService;
  platform: PlatformService;
  sessions: SessionLifecycle;
  params: ParamBackupService;
}

export interface AfterSales {
  deps: AfterSalesDeps;
  diagnostics: Diagnostics;
  scheduler: DeadlineScheduler;
  /** Remote-guidance sessions: HTTP lifecycle (also in deps), socket.io rooms, the boxes' live data and commands. */
  sessions: RemoteSessions;
  /** Notifications for customers and their webhook deliveries. */
  notifications: NotificationService;
  /** Starts the schedulers and resumes triage of messages committed before a crash. */
  start(): Promise<void>;
  /** Waits for queued triage, a running deadline pass and a running backup pass. */
  stop(): Promise<void>;
}

/** How often connected boxes are checked for an automatic parameter backup (24 h old by default). */
const BACKUP_SCHEDULE_MS = 5 * 60_000;

/** Composes diagnostics, the calendar, RMA tickets, parameter backups and their schedulers over one database. */
export async function createAfterSales(opts: {
  config: Config;
  /** The opened database; triage prepares its statements on it. */
  database: OpenedDatabase;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  shadows: ShadowReader;
  /** Boxes as registered; with the shadow, what they report about themselves. */
  registry: Pick<DeviceRegistry, 'findById' | 'findBySerial'>;
  /** Reaches the boxes: parameter backups read and restore through it. */
  commands: CommandPort;
  /** Told each triage decision's latency, ms (see createDiagnostics). */
  onDecided?: (latencyMs: number) => void;
  /** This node's id in a cluster (who is in a session room through it); null or absent on a single node. */
  nodeId?: string | null;
}): Promise<AfterSales> {
  const { config, clock, logger, bus, shadows, commands, onDecided } = opts;
  const { db } = opts.database;
  const calendar = await openCalendarService({ store: await openCalendarStore(config, db, { logger, clock }), logger, clock });
  const catalog = loadShippedCatalog();
  const rules = loadShippedRules();
  // Seed: parameters are backed up before a box ships for repair, and put back after it.
  // Both go through the parameter-backup capability, created below.
  const rma = createRmaService({
    db,
    clock,
    logger,
    bus,
    calendar,
    firstResponseHours: config.FIRST_RESPONSE_HOURS,
    // RMA declares what it needs of the warranty's parts history and of the parameter
    // backups (rma/domain/*-port.ts); both are wired here, so RMA reaches into neither.
    repairedParts: { list: listRepairedParts, record: recordRepairedParts },
    backups: {
      async newest(deviceId) {
        const [s] = await listSnapshots(db, deviceId, 1);
        return s ? { id: s.id, createdAt: s.createdAt, reason: s.reason } : null;
      },
    },
    onBackupRequested: (serial, ticketId) => {
      params
        .backup(serial, { reason: 'rma-opened', ticketId }, { username: 'system', role: 'admin' })
        .then((snapshot) => rma.recordBackup(ticketId, snapshot.id))
        .catch((err: unknown) =>
          // A box already offline cannot be read; the ticket then shows no fresh backup.
          logger.warn({ err: (err as Error).message, serial, ticketId }, 'no parameter backup for the RMA ticket'),
        );
    },
    restore: (serial, backupId, force, actor) => params.restore(serial, { backupId, force }, actor),
  });
  const platform = createPlatformService({ db, clock, logger, bus });

  // What the box reported about itself wins over the registry: firmware changes in the field.
  // Triage (fleet correlation) and restores (compatibility) both read boxes this way.
  async function boxAsReported(where: { id: number } | { serial: string }) {
    const d = await ('id' in where ? opts.registry.findById(where.id) : opts.registry.findBySerial(where.serial));
    if (!d) return null;
    const shadow = shadows.get(d.id);
    return {
      id: d.id,
      serial: d.serial,
      model: shadow?.reportedModel ?? d.model,
      firmware: shadow?.reportedFw ?? d.firmware,
      businessLine: d.customer?.businessLine ?? null,
    };
  }
  const device = (id: number): Promise<TriageDevice | null> => boxAsReported({ id });
  const box = (serial: string): Promise<BoxIdentity | null> => boxAsReported({ serial });
  const params = createParamBackupService({ db, clock, logger, commands, device: box, onlineIds: () => shadows.onlineIds() });
  let backups: ScheduledBackups | null = null;

  const diagnostics = createDiagnostics({ db, database: opts.database, clock, logger, catalog, rules, bus, tickets: rma, device, onDecided });
  const cases = createCaseService({ db, clock, logger, bus, catalog, tickets: rma, device });
  const sessions = createRemoteSessions({ db, clock, logger, bus, calendar, cases, rma, commands, shadows, nodeId: opts.nodeId ?? null });
  const scheduler = createDeadlineScheduler({
    db,
    clock,
    logger,
    pollMs: config.SCHEDULER_POLL_S * 1000,
    handlers: { rma: (d) => rma.fire(d), platform: (d) => platform.fire(d) },
  });

  // Subscribes to the bus now, so tickets changed before start() (HTTP tests) still notify.
  const notifications = createNotificationService({
    db,
    clock,
    logger,
    bus,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    calendar: () => calendar.current(),
  });

  return {
    deps: { catalog, rules, calendar, cases, rma, platform, params, sessions },
    diagnostics,
    scheduler,
    sessions,
    notifications,
    async start() {
      await diagnostics.resume();
      await notifications.start();
      scheduler.start();
      backups = startScheduledBackups({ params, clock, logger, everyMs: BACKUP_SCHEDULE_MS });
    },
    async stop() {
      await backups?.stop();
      await scheduler.stop();
      await diagnostics.idle();
      await sessions.idle();
      await notifications.stop();
    },
  };
}
