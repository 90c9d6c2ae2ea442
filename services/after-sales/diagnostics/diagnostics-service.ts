import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { publishCommitted, type LiveBus } from '../../remote-support/realtime/index.ts';
import type { CatalogIndex } from './domain/fault-catalog.ts';
import type { TriageRules } from './domain/triage-rules.ts';
import { createRowTriage, type RowOutcome } from './triage-rows.ts';
import type { TicketPort, TriageDevice } from './triage-ports.ts';
import { createTriageStats, type TriageCounters } from './triage-stats.ts';

export type { TicketPort, TriageDevice } from './triage-ports.ts';

export interface DiagnosticsStats extends TriageCounters {
  pending: number;
}

export interface Diagnostics {
  /** Queues a committed fault or event for triage; decisions are taken one at a time, in order. */
  enqueue(kind: 'fault' | 'event', rowId: number): void;
  /** Queues everything committed but not yet triaged, e.g. after a crash. Answers how many. */
  resume(): Promise<number>;
  /** Resolves when the queue is empty. */
  idle(): Promise<void>;
  stats(): DiagnosticsStats;
}

/**
 * The diagnostics step: reads the facts, asks the pure triage rules, and commits the decision
 * together with what it opens or attaches. The fault itself was committed before the box got
 * its PUBACK; `triaged_at` stays null until the decision commits, so nothing is skipped by a crash.
 */
export function createDiagnostics(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  catalog: CatalogIndex;
  rules: TriageRules;
  bus: LiveBus;
  tickets: TicketPort;
  /** Model and firmware the box reported (shadow), falling back to the registry's. */
  device(deviceId: number): Promise<TriageDevice | null>;
}): Diagnostics {
  const log = deps.logger.child({ component: 'diagnostics' });
  const triage = createRowTriage(deps);
  const stats = createTriageStats(deps.clock);
  // One decision at a time, in arrival order: each reads facts the one before may have changed.
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;

  /** After the commit: count it, publish its live events, run what the ticket port deferred. */
  function committed(outcome: RowOutcome | null): void {
    if (!outcome) return;
    if (outcome.receivedAt !== null) stats.decided(outcome.receivedAt);
    publishCommitted(deps.bus, outcome.live, log);
    outcome.afterCommit.forEach((f) => f());
  }

  const diagnostics: Diagnostics = {
    enqueue(kind, rowId) {
      pending++;
      chain = chain
        .then(async () => committed(await (kind === 'fault' ? triage.fault(rowId) : triage.event(rowId))))
        .catch((err: unknown) => {
          // Left untriaged in the database: the next start's resume() takes it again.
          stats.failed();
          log.error({ err, kind, rowId }, 'triage failed; the message stays queued for the next start');
        })
        .finally(() => {
          pending--;
        });
    },
    async resume() {
      const faults = await deps.db.selectFrom('faults').select('id').where('triaged_at', 'is', null).orderBy('id').execute();
      const events = await deps.db.selectFrom('events').select('id').where('triaged_at', 'is', null).orderBy('id').execute();
      for (const e of events) diagnostics.enqueue('event', e.id);
      for (const f of faults) diagnostics.enqueue('fault', f.id);
      if (faults.length + events.length > 0) log.info({ faults: faults.length, events: events.length }, 'resuming triage of untriaged messages');
      return faults.length + events.length;
    },
    idle: () => chain,
    stats: () => {
      const { decided, failed, latencyMs } = stats.counters();
      return { decided, failed, pending, latencyMs };
    },
  };
  return diagnostics;
}
