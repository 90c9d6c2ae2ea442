import type { Clock } from '../../kernel/clock.ts';
import type { Db, OpenedDatabase } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { publishCommitted, type LiveBus } from '../../remote-support/realtime/index.ts';
import type { CatalogIndex } from './domain/fault-catalog.ts';
import type { TriageRules } from './domain/triage-rules.ts';
import { createRowTriage, type QueuedRow, type RowOutcome } from './triage-rows.ts';
import type { TicketPort, TriageDevice } from './triage-ports.ts';
import { createTriageStats, type TriageCounters } from './triage-stats.ts';

export type { TicketPort, TriageDevice } from './triage-ports.ts';

/** Rows per triage transaction, and how long one may run before it commits what it has. */
const TRIAGE_BATCH_ROWS = 64;
const TRIAGE_BATCH_MS = 10;

export interface DiagnosticsStats extends TriageCounters {
  pending: number;
}

export interface Diagnostics {
  /** Queues a committed fault or event for triage; decisions are taken in order, a batch per transaction. */
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
  /** The database `db` opens, for the statements every decision runs (SQLite: on its raw handle). */
  database: OpenedDatabase;
  clock: Clock;
  logger: Logger;
  catalog: CatalogIndex;
  rules: TriageRules;
  bus: LiveBus;
  tickets: TicketPort;
  /** Model and firmware the box reported (shadow), falling back to the registry's. */
  device(deviceId: number): Promise<TriageDevice | null>;
  /** Told each decision's fault-stored → decision-committed latency, ms (the metrics' histogram). */
  onDecided?: (latencyMs: number) => void;
  /** How long one transaction may hold the connection; defaults measured with `npm run bench:triage`. */
  batch?: { maxRows?: number; maxMs?: number };
}): Diagnostics {
  const log = deps.logger.child({ component: 'diagnostics' });
  const triage = createRowTriage(deps);
  const stats = createTriageStats(deps.clock);
  const maxRows = deps.batch?.maxRows ?? TRIAGE_BATCH_ROWS;
  const maxMs = deps.batch?.maxMs ?? TRIAGE_BATCH_MS;
  // Decisions in arrival order, several per transaction: each reads facts the one before may have changed.
  const queue: QueuedRow[] = [];
  let pending = 0;
  let draining: Promise<void> | null = null;

  /** After the commit: count it, publish its live events, run what the ticket port deferred. */
  function committed(outcome: RowOutcome | null): void {
    if (!outcome) return;
    try {
      if (outcome.receivedAt !== null) {
        const latencyMs = stats.decided(outcome.receivedAt);
        deps.onDecided?.(latencyMs);
      }
      publishCommitted(deps.bus, outcome.live, log);
      for (const f of outcome.afterCommit) f();
    } catch (err) {
      log.error({ err }, 'work after a committed triage decision failed');
    }
  }

  /** A batch that failed is redone one row per transaction, so only the bad row stays untriaged. */
  async function oneByOne(rows: readonly QueuedRow[]): Promise<Array<RowOutcome | null>> {
    const outcomes: Array<RowOutcome | null> = [];
    for (const row of rows) {
      try {
        outcomes.push(await triage.one(row));
      } catch (err) {
        // Left untriaged in the database: the next start's resume() takes it again.
        stats.failed();
        log.error({ err, kind: row.kind, rowId: row.rowId }, 'triage failed; the message stays queued for the next start');
        outcomes.push(null);
      }
    }
    return outcomes;
  }

  async function drain(): Promise<void> {
    // Rows committed in the same group are enqueued by promise callbacks already queued: they join the first batch.
    await Promise.resolve();
    while (queue.length > 0) {
      const rows = queue.slice(0, maxRows);
      let done: { outcomes: Array<RowOutcome | null>; taken: number };
      try {
        done = await triage.batch(rows, maxMs);
      } catch (err) {
        log.warn({ err, rows: rows.length }, 'a triage batch failed; deciding its rows one at a time');
        done = { outcomes: await oneByOne(rows), taken: rows.length };
      }
      queue.splice(0, done.taken);
      pending -= done.taken;
      done.outcomes.forEach(committed);
      // A turn of the event loop between batches: fault inserts and PUBACKs wait for one batch at most.
      if (queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  function kick(): void {
    if (draining) return;
    draining = drain().finally(() => {
      draining = null;
      if (queue.length > 0) kick();
    });
  }

  const diagnostics: Diagnostics = {
    enqueue(kind, rowId) {
      pending++;
      queue.push({ kind, rowId });
      kick();
    },
    async resume() {
      const faults = await deps.db.selectFrom('faults').select('id').where('triaged_at', 'is', null).orderBy('id').execute();
      const events = await deps.db.selectFrom('events').select('id').where('triaged_at', 'is', null).orderBy('id').execute();
      for (const e of events) diagnostics.enqueue('event', e.id);
      for (const f of faults) diagnostics.enqueue('fault', f.id);
      if (faults.length + events.length > 0) log.info({ faults: faults.length, events: events.length }, 'resuming triage of untriaged messages');
      return faults.length + events.length;
    },
    async idle() {
      while (draining) await draining;
    },
    stats: () => {
      const { decided, failed, latencyMs } = stats.counters();
      return { decided, failed, pending, latencyMs };
    },
  };
  return diagnostics;
}
