import { z } from 'zod';
import { listAudit, type AuditEntry } from '../../platform/audit/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Role } from '../../kernel/roles.ts';
import { VENDOR, type Tenant } from '../../kernel/tenant.ts';
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
  loadPlatformTicketForUpdate,
  reservePlatformRow,
  savePlatformTicket,
  organisationForForm,
  type PlatformNotification,
  type PlatformOrganisation,
  type PlatformTicketRow,
  type StoredPlatformTicket,
} from './store/platform-store.ts';

/** A platform ticket as the API serves it: the domain object, its messages, its next moves and its audit trail. */
export interface PlatformTicketView {
  id: number;
  ticket: PlatformTicket;
  notifications: PlatformNotification[];
  /** The customer organisation it belongs to, null for a ticket staff entered for nobody in particular. */
  organisation: PlatformOrganisation | null;
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

/** What a customer's BUG Feedback Form starts from; every field may be changed. */
export interface FormDefaults {
  project: string;
  reporter: string;
  contact: string;
}

/*
 * Every read and move takes the tenant (kernel/tenant.ts): staff pass none and see every
 * ticket; a customer's tenant filters in the store's query, so another organisation's ticket
 * answers PLATFORM_TICKET_NOT_FOUND exactly like a missing one.
 */
export interface PlatformService {
  /** A customer's ticket belongs to their organisation (`tenant`); staff's to none. */
  submit(form: BugFeedbackForm, actor: PlatformActor, tenant?: Tenant): Promise<PlatformTicketView>;
  get(id: number, tenant?: Tenant): Promise<PlatformTicketView>;
  /** Newest first; `beforeId` continues a page. */
  list(filter: { state?: PlatformState; beforeId?: number; limit: number }, tenant?: Tenant): Promise<PlatformTicketView[]>;
  transition(id: number, command: PlatformCommandInput, actor: PlatformActor, tenant?: Tenant): Promise<PlatformTicketView>;
  /** The organisation's name as the project, the account as reporter, the organisation's first contact's phone or e-mail. */
  formDefaults(organisationId: number, username: string): Promise<FormDefaults>;
  /** The scheduler's handler for `platform` deadlines; answers whether this call claimed it (another node may have). */
  fire(deadline: PendingDeadline): Promise<boolean>;
}

const PLUMBING: TicketPlumbing<PlatformTicket, PlatformEffect, StoredPlatformTicket, PlatformTicketRow> = {
  rows: { load: loadPlatformTicketForUpdate, save: savePlatformTicket },
  runEffects: runPlatformEffects,
  channel: 'platform-tickets',
  deadlineFiredType: 'platform-ticket.deadline-fired',
};

/** The organisation's first contact, read from its stored list; a malformed list gives none. */
function firstContact(stored: string): { phone?: string | undefined; email?: string | undefined } | null {
  const parsed = ContactList.safeParse(JSON.parse(stored));
  return parsed.success ? (parsed.data[0] ?? null) : null;
}
const ContactList = z.array(z.object({ phone: z.string().optional(), email: z.string().optional() }));

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
      organisation: row.organisation,
      allowedTransitions: allowedFrom(PLATFORM_TRANSITIONS, ticket.state),
      moves: movesFrom(ticket.state),
      audit: await listAudit(deps.db, 'platform', row.id),
    };
  }

  const service: PlatformService = {
    async submit(form, actor, tenant = VENDOR) {
      const out = await deps.db.transaction().execute(async (tx) => {
        const now = deps.clock();
        // The domain ticket carries its id, so the row is reserved first; a refused form rolls it back.
        const id = await reservePlatformRow(tx, now, tenant.kind === 'organisation' ? tenant.organisationId : null);
        const r = submitTicket({ id: String(id), form }, { now, actor: actorOf(actor) });
        if (!r.ok) failWith(r);
        const ran = await commitResult(tx, PLUMBING, id, { ticket: r.ticket, notifications: [] }, r, now);
        return { id, live: ran.live, after: ran.after };
      });
      afterCommit(deps.bus, log, out);
      return service.get(out.id, tenant);
    },

    async get(id, tenant = VENDOR) {
      const row = await loadPlatformTicket(deps.db, id, tenant);
      if (!row) throw new AppError('PLATFORM_TICKET_NOT_FOUND', { id });
      return view(row);
    },

    async list(filter, tenant = VENDOR) {
      const rows = await listPlatformRows(deps.db, filter, tenant);
      return Promise.all(rows.map(view));
    },

    async transition(id, command, actor, tenant = VENDOR) {
      const out = await deps.db.transaction().execute(async (tx) => {
        const row = await loadPlatformTicketForUpdate(tx, id, tenant);
        if (!row) throw new AppError('PLATFORM_TICKET_NOT_FOUND', { id });
        const now = deps.clock();
        const r = applyPlatformTransition(row.stored.ticket, command, { now, actor: actorOf(actor) });
        return commitResult(tx, PLUMBING, id, row.stored, r, now);
      });
      afterCommit(deps.bus, log, out);
      return service.get(id, tenant);
    },

    async formDefaults(organisationId, username) {
      const org = await organisationForForm(deps.db, organisationId);
      const first = org ? firstContact(org.contacts) : null;
      return { project: org?.name ?? '', reporter: username, contact: first?.phone ?? first?.email ?? '' };
    },

    fire(deadline) {
      return fireTicketDeadline(
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
