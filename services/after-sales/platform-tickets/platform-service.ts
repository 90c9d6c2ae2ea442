import { listAudit } from '../../platform/audit/store/sqlite-audit-log.ts';
import type { AuditEntry } from '../../platform/audit/domain/audit-entry.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { publishCommitted, type LiveBus, type LiveEvent } from '../../remote-support/realtime/live-events.ts';
import { markFired, type PendingDeadline } from '../scheduler/sqlite-deadlines.ts';
import type { PlatformResult } from './domain/platform-effects.ts';
import type { BugFeedbackForm, PlatformActor, PlatformDeadlineKind, PlatformState, PlatformTicket } from './domain/platform-ticket.ts';
import { platformTargetsFrom } from './domain/platform-transition-table.ts';
import { applyPlatformTransition, firePlatformDeadline, submitTicket } from './domain/platform-transitions.ts';
import { runPlatformEffects } from './platform-effects-runner.ts';
import {
  listPlatformRows,
  loadPlatformTicket,
  reservePlatformRow,
  savePlatformTicket,
  type PlatformNotification,
  type PlatformTicketRow,
} from './store/sqlite-platform-store.ts';

/** A platform ticket as the API serves it: the domain object, its messages, its next moves and its audit trail. */
export interface PlatformTicketView {
  id: number;
  ticket: PlatformTicket;
  notifications: PlatformNotification[];
  allowedTransitions: PlatformState[];
  audit: AuditEntry[];
}

export interface PlatformCommandInput {
  to: PlatformState;
  reason: string;
  payload?: unknown;
}

export interface PlatformService {
  submit(form: BugFeedbackForm, actor: PlatformActor): Promise<PlatformTicketView>;
  get(id: number): Promise<PlatformTicketView>;
  list(filter: { state?: PlatformState; limit: number }): Promise<PlatformTicketView[]>;
  transition(id: number, command: PlatformCommandInput, actor: PlatformActor): Promise<PlatformTicketView>;
  /** The scheduler's handler for `platform` deadlines. */
  fire(deadline: PendingDeadline): Promise<void>;
}

export function createPlatformService(deps: { db: Db; clock: Clock; logger: Logger; bus: LiveBus }): PlatformService {
  const log = deps.logger.child({ component: 'platform-tickets' });

  function fail(r: Extract<PlatformResult, { ok: false }>): never {
    throw new AppError(r.error.code, r.error.details);
  }

  const publish = (events: LiveEvent[]) => publishCommitted(deps.bus, events, log);

  // Only the fields the domain reads, so a session object never ends up in a stored ticket.
  const actorOf = (a: PlatformActor): PlatformActor => ({ username: a.username, role: a.role });

  async function view(row: PlatformTicketRow): Promise<PlatformTicketView> {
    const { ticket, notifications } = row.stored;
    return {
      id: row.id,
      ticket,
      notifications,
      allowedTransitions: platformTargetsFrom(ticket.state),
      audit: await listAudit(deps.db, 'platform', row.id),
    };
  }

  const service: PlatformService = {
    async submit(form, actor) {
      const out = await deps.db.transaction().execute(async (tx) => {
        const now = deps.clock();
        // The domain ticket carries its id, so the row is reserved first; a refused form rolls it back.
        const id = await reservePlatformRow(tx, now);
        const r = submitTicket({ id: String(id), form }, { now, actor: actorOf(actor) });
        if (!r.ok) fail(r);
        const ran = await runPlatformEffects(tx, id, { ticket: r.ticket, notifications: [] }, r.effects, { now });
        await savePlatformTicket(tx, id, ran.stored, now);
        return { id, live: ran.live };
      });
      publish(out.live);
      return service.get(out.id);
    },

    async get(id) {
      const row = await loadPlatformTicket(deps.db, id);
      if (!row) throw new AppError('PLATFORM_TICKET_NOT_FOUND', { id });
      return view(row);
    },

    async list(filter) {
      const rows = await listPlatformRows(deps.db, filter);
      return Promise.all(rows.map(view));
    },

    async transition(id, command, actor) {
      const out = await deps.db.transaction().execute(async (tx) => {
        const row = await loadPlatformTicket(tx, id);
        if (!row) throw new AppError('PLATFORM_TICKET_NOT_FOUND', { id });
        const now = deps.clock();
        const r = applyPlatformTransition(row.stored.ticket, command, { now, actor: actorOf(actor) });
        if (!r.ok) fail(r);
        const ran = await runPlatformEffects(tx, id, { ...row.stored, ticket: r.ticket }, r.effects, { now });
        await savePlatformTicket(tx, id, ran.stored, now);
        return { live: ran.live };
      });
      publish(out.live);
      return service.get(id);
    },

    async fire(deadline) {
      const out = await deps.db.transaction().execute(async (tx) => {
        const now = deps.clock();
        // Marked in the same transaction as its effects: a deadline fires exactly once.
        if (!(await markFired(tx, deadline.id, now))) return { live: [] as LiveEvent[] };
        const row = await loadPlatformTicket(tx, deadline.entityId);
        if (!row) return { live: [] as LiveEvent[] };
        const r = firePlatformDeadline(row.stored.ticket, deadline.kind as PlatformDeadlineKind, { now });
        if (!r.ok) {
          // The ticket moved on (or the deadline was replaced): nothing to do, and said so.
          log.info({ ticketId: row.id, deadline: deadline.kind, code: r.error.code }, 'deadline no longer applies');
          return { live: [] as LiveEvent[] };
        }
        const ran = await runPlatformEffects(tx, row.id, { ...row.stored, ticket: r.ticket }, r.effects, { now });
        await savePlatformTicket(tx, row.id, ran.stored, now);
        log.info({ ticketId: row.id, deadline: deadline.kind, state: r.ticket.state }, 'platform ticket deadline fired');
        return {
          live: [...ran.live, { channel: 'platform-tickets' as const, type: 'platform-ticket.deadline-fired', id: row.id, at: now, data: { kind: deadline.kind } }],
        };
      });
      publish(out.live);
    },
  };

  return service;
}
