import type { Kysely } from 'kysely';
import { appendAudit, listAudit } from '../../platform/audit/store/sqlite-audit-log.ts';
import type { AuditEntry } from '../../platform/audit/domain/audit-entry.ts';
import type { CalendarService } from '../calendar/calendar-service.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { TicketPort } from '../diagnostics/diagnostics-service.ts';
import type { CatalogEntry } from '../diagnostics/domain/fault-catalog.ts';
import { AppError } from '../../platform/http/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { publishCommitted, type LiveBus, type LiveEvent } from '../../remote-support/realtime/live-events.ts';
import { markFired, type PendingDeadline } from '../scheduler/sqlite-deadlines.ts';
import { SupportQueue } from '../support/domain/support-queues.ts';
import { computeCharges, type ChargePart, type DamageDegree } from '../warranty/domain/costs.ts';
import {
  addExclusion,
  decideExclusion,
  suggestExclusions,
  type ExclusionFinding,
  type ExclusionId,
} from '../warranty/domain/exclusions.ts';
import { exclusionDecisionRefusal } from './domain/rma-exclusion-rules.ts';
import type { WarrantyAnswer } from '../warranty/domain/warranty.ts';
import { recordRepairedParts } from '../warranty/store/sqlite-repaired-parts.ts';
import type { RmaResult } from './domain/rma-effects.ts';
import { fireDeadline as fireRmaDeadline } from './domain/rma-deadlines.ts';
import { applyStandbyAction } from './domain/rma-standby.ts';
import { recordParameterRestore } from './domain/rma-parameter-restore.ts';
import { TERMINAL_STATES, type Actor, type DeadlineKind, type RmaState, type RmaTicket } from './domain/rma-ticket.ts';
import { RMA_TRANSITIONS } from './domain/rma-transition-table.ts';
import { allowedFrom, mayTake } from '../ticket-core/domain/transition-table.ts';
import { applyTransition } from './domain/rma-transitions.ts';
import { listSnapshots } from '../../remote-support/params/store/sqlite-snapshot-store.ts';
import { runRmaEffects } from './rma-effects-runner.ts';
import { openTicketIn, type NewTicketInput } from './rma-opening.ts';
import { warrantyConfirmationPayload, warrantyToday } from './rma-warranty.ts';

export type { NewTicketInput } from './rma-opening.ts';
import {
  listTicketRows,
  loadTicket,
  saveTicket,
  type StoredTicket,
  type TicketOrigin,
  type TicketRow,
} from './store/sqlite-rma-store.ts';

type Tx = Kysely<Database>;

/** A ticket as the API serves it: the domain object, the after-sales record, and today's warranty. */
export interface TicketView extends Omit<StoredTicket, 'ticket'> {
  id: number;
  ticket: RmaTicket;
  queue: SupportQueue;
  warranty: WarrantyAnswer | null;
  allowedTransitions: RmaState[];
  /** Years a deadline was counted across without official holiday data: its date may move. */
  provisionalDeadlineYears: number[];
  /** The box's newest parameter snapshot, and whether it is recent enough to ship the box. */
  parameterBackup: { latest: { id: number; createdAt: number; reason: string } | null; fresh: boolean; warning: string | null };
  audit: AuditEntry[];
}

/** Restore the pre-repair parameters (optionally from another snapshot), or waive it with a reason. */
export type ParameterRestoreRequest = { action: 'restore'; backupId?: number | undefined; force?: boolean | undefined } | { action: 'waive'; reason: string };

export interface RmaService extends TicketPort {
  open(input: NewTicketInput, actor: Actor): Promise<TicketView>;
  get(id: number): Promise<TicketView>;
  list(filter: { serial?: string; state?: string; queue?: string; limit: number }): Promise<TicketView[]>;
  transition(id: number, command: { to: RmaState; reason: string; payload?: unknown }, actor: Actor): Promise<TicketView>;
  writeRepairReport(
    id: number,
    report: { testResults: string; parts: ChargePart[]; damageDegree?: DamageDegree | undefined },
    reason: string,
    actor: Actor,
  ): Promise<TicketView>;
  decideExclusion(id: number, d: { exclusion: ExclusionId; decision: 'confirmed' | 'rejected' | 'added'; note: string }, actor: Actor): Promise<TicketView>;
  standby(id: number, action: unknown, actor: Actor): Promise<TicketView>;
  /**
   * Puts the pre-repair parameters back on the repaired box and records the verified result,
   * or records that a person waived the restore.
   */
  restoreParameters(id: number, request: ParameterRestoreRequest, actor: Actor): Promise<TicketView>;
  /** Links the parameter snapshot taken for the ticket before the box shipped. */
  recordBackup(id: number, snapshotId: number): Promise<void>;
  addNote(id: number, text: string, actor: Actor): Promise<TicketView>;
  /** The scheduler's handler for `rma` deadlines. */
  fire(deadline: PendingDeadline): Promise<void>;
}


const FRESH_BACKUP_MS = 7 * 86_400_000;

export function createRmaService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  calendar: CalendarService;
  onBackupRequested?: (serial: string, ticketId: number) => void;
  /** Restores a parameter snapshot onto the box and reads it back (the parameter-backup capability). */
  restore?: (serial: string, backupId: number, force: boolean, actor: Actor) => Promise<{ verified: boolean; mismatches: Record<string, unknown> }>;
}): RmaService {
  const log = deps.logger.child({ component: 'rma' });

  function fail(r: Extract<RmaResult, { ok: false }>): never {
    throw new AppError(r.error.code, r.error.details);
  }

  const publish = (events: LiveEvent[]) => publishCommitted(deps.bus, events, log);

  /** Opens a ticket in `tx` with today's calendar; see rma-opening.ts. */
  function openIn(tx: Tx, input: NewTicketInput, opener: Actor | 'diagnostics', origin: TicketOrigin, fault: { code: string; entry: CatalogEntry | null } | null) {
    return openTicketIn(tx, { now: deps.clock(), calendar: deps.calendar.current(), logger: log, onBackupRequested: deps.onBackupRequested }, input, opener, origin, fault);
  }

  const today = () => deps.calendar.current().localDate(deps.clock());

  /** Loads, changes and saves one ticket in a transaction; effects run in it, events after it. */
  async function mutate(
    id: number,
    change: (row: TicketRow, tx: Tx, now: number) => Promise<{ result: RmaResult | null; stored?: StoredTicket }>,
  ): Promise<void> {
    const out = await deps.db.transaction().execute(async (tx) => {
      const row = await loadTicket(tx, id);
      if (!row) throw new AppError('RMA_NOT_FOUND', { id });
      const now = deps.clock();
      const { result, stored: changed } = await change(row, tx, now);
      let stored = changed ?? row.stored;
      let live: LiveEvent[] = [];
      let after: Array<() => void> = [];
      if (result) {
        if (!result.ok) fail(result);
        const ran = await runRmaEffects(tx, id, { ...stored, ticket: result.ticket }, result.effects, {
          now,
          logger: log,
          ...(deps.onBackupRequested ? { onBackupRequested: deps.onBackupRequested } : {}),
        });
        stored = ran.stored;
        live = ran.live;
        after = ran.after;
        // Seed: repaired or replaced components carry their own one-year warranty "from the
        // date of repair". Recorded when the final test passes, dated by the repair that
        // passed it: `repaired` is reached again after each failed test, `tested` only once.
        if (result.ticket.state === 'tested' && row.stored.ticket.state !== 'tested' && row.deviceId !== null) {
          const parts = result.ticket.repairReport?.parts.map((p) => p.name) ?? [];
          await recordRepairedParts(tx, row.deviceId, id, parts, deps.calendar.current().localDate(result.ticket.repairedAt ?? now));
        }
      }
      await saveTicket(tx, id, stored, now);
      return { live, after };
    });
    publish(out.live);
    out.after.forEach((f) => f());
  }

  /**
   * Seed: customers back up parameters before sending a box for repair. A snapshot from the
   * last week counts as fresh; otherwise the ticket warns before the box ships.
   */
  async function backupState(deviceId: number | null): Promise<TicketView['parameterBackup']> {
    const newest =
      deviceId === null
        ? undefined
        : await listSnapshots(deps.db, deviceId, 1).then((list) => list[0]);
    const latest = newest ? { id: newest.id, createdAt: newest.createdAt, reason: newest.reason } : null;
    const fresh = latest !== null && deps.clock() - latest.createdAt <= FRESH_BACKUP_MS;
    return {
      latest,
      fresh,
      warning: fresh ? null : latest ? 'the newest parameter backup is more than 7 days old: take one before the box ships' : 'no parameter backup of this box: take one before it ships',
    };
  }

  async function view(row: TicketRow): Promise<TicketView> {
    const warranty = await warrantyToday(deps.db, row.deviceId, today());
    const { ticket, ...rest } = row.stored;
    const years = new Set<number>();
    for (const d of ticket.deadlines) if (d.firedAt === null && d.cancelledAt === null) d.unofficialYears.forEach((y) => years.add(y));
    return {
      id: row.id,
      ...rest,
      ticket,
      queue: SupportQueue.catch('general').parse(row.queue),
      warranty,
      allowedTransitions: allowedFrom(RMA_TRANSITIONS, ticket.state),
      provisionalDeadlineYears: [...years].sort((a, b) => a - b),
      parameterBackup: await backupState(row.deviceId),
      audit: await listAudit(deps.db, 'rma', row.id),
    };
  }

  const service: RmaService = {
    closedStates: TERMINAL_STATES,

    async openFromTriage(tx, input) {
      const r = await openIn(
        tx,
        { serial: input.device.serial },
        'diagnostics',
        { kind: 'diagnostics', code: input.code, reason: input.reason, caseId: null, incidentId: input.incidentId },
        { code: input.code, entry: input.entry },
      );
      return { id: r.id, live: r.live, afterCommit: r.after };
    },

    async note(tx, ticketId, text, at) {
      const row = await loadTicket(tx, ticketId);
      if (!row) return [];
      await saveTicket(tx, ticketId, { ...row.stored, notes: [...row.stored.notes, { at, by: 'diagnostics', text }] }, at);
      return [{ channel: 'tickets', type: 'rma.noted', id: ticketId, at, data: { by: 'diagnostics' } }];
    },

    async attachEvidence(tx, ticketId, event, at) {
      const row = await loadTicket(tx, ticketId);
      if (!row) return [];
      const suggested = suggestExclusions([event]);
      let exclusions: ExclusionFinding[] = [...row.stored.exclusions];
      for (const s of suggested) {
        const existing = exclusions.find((f) => f.exclusion === s.exclusion);
        if (!existing) exclusions.push(s);
        else if (!existing.evidence.some((ev) => ev.eventId === event.id)) {
          // A decided exclusion keeps its decision; the new evidence is still shown with it.
          exclusions = exclusions.map((f) => (f === existing ? { ...f, evidence: [...f.evidence, ...s.evidence] } : f));
        }
      }
      await saveTicket(tx, ticketId, { ...row.stored, exclusions }, at);
      return [{ channel: 'tickets', type: 'rma.evidence-attached', id: ticketId, at, data: { type: event.type } }];
    },

    async open(input, actor) {
      const out = await deps.db.transaction().execute((tx) =>
        openIn(tx, input, actor, { kind: 'manual', code: null, reason: null, caseId: null, incidentId: null }, null),
      );
      publish(out.live);
      out.after.forEach((f) => f());
      return service.get(out.id);
    },

    async get(id) {
      const row = await loadTicket(deps.db, id);
      if (!row) throw new AppError('RMA_NOT_FOUND', { id });
      return view(row);
    },

    async list(filter) {
      const rows = await listTicketRows(deps.db, filter);
      return Promise.all(rows.map(view));
    },

    async transition(id, command, actor) {
      await mutate(id, async (row, tx, now) => {
        let payload = command.payload;
        // Seed: after-sales confirms warranty and scope. Without an explicit answer the
        // computed warranty and the person-confirmed exclusions are used; suggestions
        // nobody decided block the confirmation. Derived payloads are worked out only for
        // moves the domain allows, so a forbidden move gets its own refusal.
        if (command.to === 'warranty-confirmed' && mayTake(RMA_TRANSITIONS, row.stored.ticket.state, command.to, actor.role)) {
          payload = warrantyConfirmationPayload(row.stored, payload, await warrantyToday(tx, row.deviceId, today()));
        }
        return { result: applyTransition(row.stored.ticket, { ...command, payload }, { now, actor, calendar: deps.calendar.current() }) };
      });
      return service.get(id);
    },

    async writeRepairReport(id, report, reason, actor) {
      await mutate(id, async (row, _tx, now) => {
        const ctx = { now, actor, calendar: deps.calendar.current() };
        if (!mayTake(RMA_TRANSITIONS, row.stored.ticket.state, 'diagnosed', actor.role)) return { result: applyTransition(row.stored.ticket, { to: 'diagnosed', reason }, ctx) };
        const w = row.stored.ticket.warranty;
        const charges = computeCharges({
          inWarranty: w ? w.inWarranty : null,
          inScope: w ? w.inScope : false,
          parts: report.parts,
          ...(report.damageDegree ? { damageDegree: report.damageDegree } : {}),
        });
        if (!charges.ok) throw new AppError(charges.error.code, { message: charges.error.details });
        // A free or parts-only report may leave the damage degree out; the domain has no "none".
        const payload = {
          report: {
            testResults: report.testResults,
            parts: report.parts,
            ...(report.damageDegree ? { damageDegree: report.damageDegree } : {}),
            charges: charges.charges,
          },
        };
        return { result: applyTransition(row.stored.ticket, { to: 'diagnosed', reason, payload }, ctx) };
      });
      return service.get(id);
    },

    async decideExclusion(id, d, actor) {
      await mutate(id, async (row, tx, now) => {
        const refusal = exclusionDecisionRefusal(row.stored.ticket.state, actor.role);
        if (refusal) throw new AppError(refusal.code, refusal);
        const r =
          d.decision === 'added'
            ? addExclusion(row.stored.exclusions, d.exclusion, actor.username, now, d.note)
            : decideExclusion(row.stored.exclusions, d.exclusion, d.decision, actor.username, now, d.note);
        if (!r.ok) throw new AppError(r.error.code, r.error);
        await appendAudit(tx, {
          entityKind: 'rma',
          entityId: id,
          at: now,
          actor: actor.username,
          action: `exclusion-${d.decision}`,
          from: null,
          to: null,
          reason: d.note,
          data: { exclusion: d.exclusion },
        });
        return { result: null, stored: { ...row.stored, exclusions: r.findings } };
      });
      return service.get(id);
    },

    async restoreParameters(id, request, actor) {
      if (request.action === 'waive') {
        await mutate(id, async (row, _tx, now) => ({
          result: recordParameterRestore(row.stored.ticket, { outcome: 'waived', reason: request.reason }, { now, actor, calendar: deps.calendar.current() }),
        }));
        return service.get(id);
      }
      const current = await service.get(id);
      const backupId = request.backupId ?? current.backup?.snapshotId ?? null;
      if (backupId === null) throw new AppError('RMA_NO_BACKUP', { id, hint: 'no pre-repair backup is linked: name a backupId, or waive the restore' });
      if (!deps.restore) throw new AppError('RMA_NO_BACKUP', { id, hint: 'parameter restore is not available' });
      // Checked before touching the box, so a restore is never sent for a ticket that cannot record it.
      const probe = recordParameterRestore(current.ticket, { outcome: 'failed', backupId, mismatches: 0 }, { now: deps.clock(), actor, calendar: deps.calendar.current() });
      if (!probe.ok) fail(probe);
      const outcome = await deps.restore(current.ticket.serial, backupId, request.force ?? false, actor);
      const mismatches = Object.keys(outcome.mismatches).length;
      await mutate(id, async (row, _tx, now) => ({
        result: recordParameterRestore(
          row.stored.ticket,
          { outcome: outcome.verified ? 'verified' : 'failed', backupId, mismatches },
          { now, actor, calendar: deps.calendar.current() },
        ),
      }));
      return service.get(id);
    },

    async recordBackup(id, snapshotId) {
      await mutate(id, async (row) => ({
        result: null,
        stored: { ...row.stored, backup: { requestedAt: row.stored.backup?.requestedAt ?? deps.clock(), snapshotId } },
      }));
    },

    async standby(id, action, actor) {
      await mutate(id, async (row, _tx, now) => ({
        result: applyStandbyAction(row.stored.ticket, action, { now, actor, calendar: deps.calendar.current() }),
      }));
      return service.get(id);
    },

    async addNote(id, text, actor) {
      await mutate(id, async (row, _tx, now) => ({
        result: null,
        stored: { ...row.stored, notes: [...row.stored.notes, { at: now, by: actor.username, text }] },
      }));
      return service.get(id);
    },

    async fire(deadline) {
      const out = await deps.db.transaction().execute(async (tx) => {
        const now = deps.clock();
        if (!(await markFired(tx, deadline.id, now))) return { live: [] as LiveEvent[] };
        const row = await loadTicket(tx, deadline.entityId);
        if (!row) return { live: [] as LiveEvent[] };
        const r = fireRmaDeadline(row.stored.ticket, deadline.kind as DeadlineKind, { now, calendar: deps.calendar.current() });
        if (!r.ok) {
          // The ticket moved on (or the deadline was replaced): nothing to do, and said so.
          log.info({ ticketId: row.id, deadline: deadline.kind, code: r.error.code }, 'deadline no longer applies');
          return { live: [] as LiveEvent[] };
        }
        const ran = await runRmaEffects(tx, row.id, { ...row.stored, ticket: r.ticket }, r.effects, { now, logger: log });
        await saveTicket(tx, row.id, ran.stored, now);
        log.info({ ticketId: row.id, deadline: deadline.kind, state: r.ticket.state }, 'ticket deadline fired');
        return { live: [...ran.live, { channel: 'tickets' as const, type: 'rma.deadline-fired', id: row.id, at: now, data: { kind: deadline.kind } }] };
      });
      publish(out.live);
    },
  };

  return service;
}
