import { listAudit, type AuditEntry } from '../../platform/audit/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Role } from '../../kernel/roles.ts';
import type { LiveBus } from '../../remote-support/realtime/index.ts';
import type { PendingDeadline } from '../scheduler/index.ts';
import { allowedFrom } from '../ticket-core/domain/transition-table.ts';
import { afterCommit, commitResult, failWith, fireTicketDeadline, type TicketPlumbing } from '../ticket-core/ticket-service-kit.ts';
import type { PlatformEffect } from './domain/platform-effects.ts';
import type { BugFeedbackForm, PlatformActor, PlatformDeadlineKind, PlatformState, PlatformTicket } from './domain/platform-ticket.ts';
import { PLATFORM_TRANSITIONS } from './domain/platform-transition-table.ts';
import { applyPlatformTransition, firePlatformDeadline, submitTicket } from './domain/platform-transitions.ts';
import { runPlatformEffects } from './platform-effects-runner.ts';
import {
  listPlatformRows,
  loadPlatformTicket,
  reservePlatformRow,
  savePlatformTicket,
  type PlatformNotification,
  type PlatformTicketRow,
  type StoredPlatformTicket,
} from './store/sqlite-platform-store.ts';

/** A platform ticket as the API serves it: the domain object, its messages, its next moves and its audit trail. */
export interface PlatformTicketView {
  id: number;
  ticket: PlatformTicket;
  notifications: PlatformNotification[];
  allowedTransitions: PlatformState[];
  /** The moves from the current state with the roles that may make each, so a client offers each only to them. */
  moves: PlatformMove[];
  audit: AuditEntry[];
}

export interface PlatformMove {
  to: PlatformState;
  roles: Role[];
  summary: string;
}

/** The rows of the transition table leaving `state`. The table names people's roles only (no `system` edge). */
function movesFrom(state: PlatformState): PlatformMove[] {
  return PLATFORM_TRANSITIONS.filter((e) => e.from === state).map((e) => ({ to: e.to, roles: [...e.roles], summary: e.summary }));
}

export interface PlatformCommandInput {
  to: PlatformState;
  reason: string;
  payload?: unknown;
}

export interface PlatformService {
  submit(form: BugFeedbackForm, actor: PlatformActor): Promise<PlatformTicketView>;
  get(id: number): Promise<PlatformTicketView>;
  /** Newest first; `beforeId` continues a page. */
  list(filter: { state?: PlatformState; beforeId?: number; limit: number }): Promise<PlatformTicketView[]>;
  transition(id: number, command: PlatformCommandInput, actor: PlatformActor): Promise<PlatformTicketView>;
  /** The scheduler's handler for `platform` deadlines. */
  fire(deadline: PendingDeadline): Promise<void>;
}

const PLUMBING: TicketPlumbing<PlatformTicket, PlatformEffect, StoredPlatformTicket, PlatformTicketRow> = {
  rows: { load: loadPlatformTicket, save: savePlatformTicket },
  runEffects: runPlatformEffects,
  channel: 'platform-tickets',
  deadlineFiredType: 'platform-ticket.deadline-fired',
};

export function createPlatformService(deps: { db: Db; clock: Clock; logger: Logger; bus: LiveBus }): PlatformService {
  const log = deps.logger.child({ component: 'platform-tickets' });
  // Only the fields the domain reads, so a session object never ends up in a stored ticket.
  const actorOf = (a: PlatformActor): PlatformActor => ({ username: a.username, role: a.role });

  async function view(row: PlatformTicketRow): Promise<PlatformTicketView> {
    const { ticket, notifications } = row.stored;
    return {
      id: row.id,
      ticket,
      notifications,
      allowedTransitions: allowedFrom(PLATFORM_TRANSITIONS, ticket.state),
      moves: movesFrom(ticket.state),
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
        if (!r.ok) failWith(r);
        const ran = await commitResult(tx, PLUMBING, id, { ticket: r.ticket, notifications: [] }, r, now);
        return { id, live: ran.live, after: ran.after };
      });
      afterCommit(deps.bus, log, out);
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
        return commitResult(tx, PLUMBING, id, row.stored, r, now);
      });
      afterCommit(deps.bus, log, out);
      return service.get(id);
    },

    async fire(deadline) {
      await fireTicketDeadline(
        { db: deps.db, clock: deps.clock, log, bus: deps.bus },
        PLUMBING,
        deadline,
        (ticket, kind, now) => firePlatformDeadline(ticket, kind as PlatformDeadlineKind, { now }),
        'platform ticket deadline fired',
      );
    },
  };
  return service;
}
