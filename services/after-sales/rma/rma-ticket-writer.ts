import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.ts';
import type { CatalogEntry } from '../diagnostics/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { afterCommit, commitResult, type Committed, type TicketPlumbing } from '../ticket-core/ticket-service-kit.ts';
import type { RmaContext, RmaEffect, RmaResult } from './domain/rma-effects.ts';
import type { Actor, RmaTicket } from './domain/rma-ticket.ts';
import { runRmaEffects } from './rma-effects-runner.ts';
import { openTicketIn, type NewTicketInput } from './rma-opening.ts';
import type { RmaServiceDeps } from './rma-service-types.ts';
import { loadTicketForUpdate, saveTicket, type StoredTicket, type TicketOrigin, type TicketRow } from './store/rma-store.ts';

type Tx = Kysely<Database>;

/** One change to a loaded ticket: a domain result to commit, and/or a new after-sales record. */
export type TicketChange = (row: TicketRow, tx: Tx, now: number) => Promise<{ result: RmaResult | null; stored?: StoredTicket }>;

/** How the RMA operations open, change and persist tickets; shared by every group of them. */
export interface TicketWriter {
  log: Logger;
  plumbing: TicketPlumbing<RmaTicket, RmaEffect, StoredTicket, TicketRow>;
  /** Today's local date on the current calendar. */
  today(): string;
  /** The domain context for a person acting at `now`, on the current calendar. */
  rules(now: number, actor: Actor): RmaContext;
  /** Opens a ticket in `tx` with today's calendar; see rma-opening.ts. */
  openIn(
    tx: Tx,
    input: NewTicketInput,
    opener: Actor | 'diagnostics',
    origin: TicketOrigin,
    fault: { code: string; entry: CatalogEntry | null } | null,
  ): Promise<{ id: number; live: Committed['live']; after: Committed['after'] }>;
  /** Loads, changes and saves one ticket in a transaction; effects run in it, events after it. */
  mutate(id: number, change: TicketChange): Promise<void>;
  /** Publishes what a committed transaction left to do. */
  afterCommit(out: Committed): void;
}

export function createTicketWriter(deps: RmaServiceDeps, log: Logger): TicketWriter {
  const plumbing: TicketPlumbing<RmaTicket, RmaEffect, StoredTicket, TicketRow> = {
    rows: { load: loadTicketForUpdate, save: saveTicket },
    runEffects: (tx, id, stored, effects, now) =>
      runRmaEffects(tx, id, stored, effects, { now, logger: log, onBackupRequested: deps.onBackupRequested }),
    channel: 'tickets',
    deadlineFiredType: 'rma.deadline-fired',
  };

  return {
    log,
    plumbing,
    today: () => deps.calendar.current().localDate(deps.clock()),
    rules: (now, actor) => ({ now, actor, calendar: deps.calendar.current() }),
    openIn(tx, input, opener, origin, fault) {
      const env = {
        now: deps.clock(),
        calendar: deps.calendar.current(),
        firstResponseHours: deps.firstResponseHours,
        logger: log,
        repairedParts: deps.repairedParts,
        onBackupRequested: deps.onBackupRequested,
      };
      return openTicketIn(tx, env, input, opener, origin, fault);
    },
    async mutate(id, change) {
      const out = await deps.db.transaction().execute(async (tx): Promise<Committed> => {
        const row = await loadTicketForUpdate(tx, id);
        if (!row) throw new AppError('RMA_NOT_FOUND', { id });
        const now = deps.clock();
        const { result, stored } = await change(row, tx, now);
        if (!result) {
          await saveTicket(tx, id, stored ?? row.stored, now);
          return { live: [], after: [] };
        }
        const ran = await commitResult(tx, plumbing, id, stored ?? row.stored, result, now);
        // Seed: repaired or replaced components carry their own one-year warranty "from the
        // date of repair". Recorded when the final test passes, dated by the repair that
        // passed it: `repaired` is reached again after each failed test, `tested` only once.
        const ticket = ran.stored.ticket;
        if (ticket.state === 'tested' && row.stored.ticket.state !== 'tested' && row.deviceId !== null) {
          const parts = ticket.repairReport?.parts.map((p) => p.name) ?? [];
          await deps.repairedParts.record(tx, row.deviceId, id, parts, deps.calendar.current().localDate(ticket.repairedAt ?? now));
        }
        return { live: ran.live, after: ran.after };
      });
      afterCommit(deps.bus, log, out);
    },
    afterCommit: (out) => afterCommit(deps.bus, log, out),
  };
}
