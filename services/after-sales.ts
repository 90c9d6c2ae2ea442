import { createCalendarService, calendarOverridePath } from './calendar/calendar-service.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { loadShippedCatalog, loadShippedRules } from './diagnostics/catalog/load-catalog.ts';
import { createCaseService } from './diagnostics/case-service.ts';
import { createDiagnostics, type Diagnostics, type TriageDevice } from './diagnostics/diagnostics-service.ts';
import type { AfterSalesDeps } from './http/deps.ts';
import type { Logger } from './logger.ts';
import type { ShadowReader } from './presence/domain/shadow.ts';
import { createPlatformService } from './platform-tickets/platform-service.ts';
import type { LiveBus } from './realtime/live-events.ts';
import type { BusinessLine } from './registry/domain/device.ts';
import { createRmaService } from './rma/rma-service.ts';
import { createDeadlineScheduler, type DeadlineScheduler } from './scheduler/deadline-scheduler.ts';

export interface AfterSales {
  deps: AfterSalesDeps;
  diagnostics: Diagnostics;
  scheduler: DeadlineScheduler;
  /** Starts the scheduler and resumes triage of messages committed before a crash. */
  start(): Promise<void>;
  /** Waits for queued triage and a running deadline pass. */
  stop(): Promise<void>;
}

/** Composes diagnostics, the calendar, RMA tickets and their scheduler over one database. */
export function createAfterSales(opts: { config: Config; db: Db; clock: Clock; logger: Logger; bus: LiveBus; shadows: ShadowReader }): AfterSales {
  const { config, db, clock, logger, bus, shadows } = opts;
  const catalog = loadShippedCatalog();
  const rules = loadShippedRules();
  const calendar = createCalendarService({ overridePath: calendarOverridePath(config), logger, clock });
  const rma = createRmaService({ db, clock, logger, bus, calendar });
  const platform = createPlatformService({ db, clock, logger, bus });

  // What the box reported about itself wins over the registry: firmware changes in the field.
  async function device(deviceId: number): Promise<TriageDevice | null> {
    const d = await db.selectFrom('devices').select(['id', 'serial', 'model', 'firmware', 'business_line']).where('id', '=', deviceId).executeTakeFirst();
    if (!d) return null;
    const shadow = shadows.get(deviceId);
    return {
      id: d.id,
      serial: d.serial,
      model: shadow?.reportedModel ?? d.model,
      firmware: shadow?.reportedFw ?? d.firmware,
      businessLine: (d.business_line as BusinessLine | null) ?? null,
    };
  }

  const diagnostics = createDiagnostics({ db, clock, logger, catalog, rules, bus, tickets: rma, device });
  const cases = createCaseService({ db, clock, logger, bus, catalog, tickets: rma, device });
  const scheduler = createDeadlineScheduler({
    db,
    clock,
    logger,
    pollMs: config.SCHEDULER_POLL_S * 1000,
    handlers: { rma: (d) => rma.fire(d), platform: (d) => platform.fire(d) },
  });

  return {
    deps: { catalog, rules, calendar, cases, rma, platform },
    diagnostics,
    scheduler,
    async start() {
      await diagnostics.resume();
      scheduler.start();
    },
    async stop() {
      await scheduler.stop();
      await diagnostics.idle();
    },
  };
}
