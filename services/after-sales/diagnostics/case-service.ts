import type { Kysely } from 'kysely';
import { appendAudit, listAudit, type AuditEntry } from '../../platform/audit/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { AppError } from '../../kernel/app-error.ts';
import { allowedFrom } from '../../kernel/state-machine.ts';
import { publishCommitted, type LiveBus, type LiveEvent } from '../../remote-support/realtime/index.ts';
import type { TicketPort, TriageDevice } from './diagnostics-service.ts';
import type { CatalogIndex } from './domain/fault-catalog.ts';
import { INCIDENT_TRANSITIONS, transitionIncident, type IncidentState } from './domain/fleet-incident.ts';
import { CASE_TRANSITIONS, transitionCase, type CaseState } from './domain/remote-case.ts';
import {
  getCase,
  getCaseForUpdate,
  getIncident,
  listCases,
  listIncidentIds,
  saveCase,
  saveIncident,
  type CaseRecord,
  type IncidentRecord,
} from './store/case-store.ts';
import { listDecisions, type DecisionRecord } from './store/decision-store.ts';

type Tx = Kysely<Database>;

export interface CaseDetail extends CaseRecord {
  decisions: DecisionRecord[];
  audit: AuditEntry[];
  /** The catalog's guidance steps for the code that opened the case. */
  steps: string[];
  ticketId: number | null;
  /** The moves the transition table allows from the current state, so a client offers only those. */
  allowedTransitions: CaseState[];
}

export interface IncidentDetail extends IncidentRecord {
  decisions: DecisionRecord[];
  audit: AuditEntry[];
  allowedTransitions: IncidentState[];
}

export interface Actor {
  username: string;
}

/** Remote-guidance cases and fleet incidents as engineers work them through the API. */
export interface CaseService {
  /** Newest first; `beforeId` continues a page. */
  list(filter: { serial?: string; state?: string; beforeId?: number; limit: number }): Promise<CaseRecord[]>;
  get(id: number): Promise<CaseDetail>;
  transition(id: number, to: CaseState, actor: Actor, reason: string): Promise<CaseDetail>;
  note(id: number, actor: Actor, text: string): Promise<CaseDetail>;
  /** Newest first; `beforeId` continues a page. */
  listIncidents(filter: { state?: string; beforeId?: number; limit: number }): Promise<IncidentRecord[]>;
  getIncident(id: number): Promise<IncidentDetail>;
  transitionIncident(id: number, to: IncidentState, actor: Actor, reason: string): Promise<IncidentDetail>;
}

export function createCaseService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  catalog: CatalogIndex;
  tickets: TicketPort;
  device(deviceId: number): Promise<TriageDevice | null>;
}): CaseService {
  const publish = (events: LiveEvent[]) => publishCommitted(deps.bus, events, deps.logger);

  // `forUpdate`: read to be changed and saved back in this transaction, so locked (PostgreSQL).
  async function requireCase(db: Tx, id: number, forUpdate = false): Promise<CaseRecord> {
    const c = forUpdate ? await getCaseForUpdate(db, id) : await getCase(db, id);
    if (!c) throw new AppError('CASE_NOT_FOUND', { id });
    return c;
  }

  async function requireIncident(db: Tx, id: number, forUpdate = false): Promise<IncidentRecord> {
    const i = await getIncident(db, id, undefined, forUpdate);
    if (!i) throw new AppError('INCIDENT_NOT_FOUND', { id });
    return i;
  }

  const service: CaseService = {
    list: (filter) => listCases(deps.db, filter),
    async get(id) {
      const c = await requireCase(deps.db, id);
      const audit = await listAudit(deps.db, 'case', id);
      const escalation = [...audit].reverse().find((a) => a.to === 'escalated');
      const ticketId = typeof escalation?.data?.ticketId === 'number' ? escalation.data.ticketId : null;
      return {
        ...c,
        decisions: await listDecisions(deps.db, { target: { kind: 'case', id }, limit: 200 }),
        audit,
        steps: deps.catalog.byCode(c.code)?.steps ?? [],
        ticketId,
        allowedTransitions: [...allowedFrom(CASE_TRANSITIONS, c.state)],
      };
    },
    async transition(id, to, actor, reason) {
      const current = await requireCase(deps.db, id);
      // Looked up first: the registry shares the transaction's single connection.
      const device = to === 'escalated' ? await deps.device(current.deviceId) : null;
      const live: LiveEvent[] = [];
      const afterCommit: Array<() => void> = [];
      await deps.db.transaction().execute(async (tx) => {
        const c = await requireCase(tx, id, true);
        const now = deps.clock();
        const r = transitionCase(c, to, actor.username, reason, now);
        if (!r.ok) throw new AppError('CASE_INVALID_TRANSITION', r.error);
        let ticketId: number | null = null;
        // Escalating hands the box to repair: an RMA ticket opens with the case's story.
        if (to === 'escalated' && device) {
          const opened = await deps.tickets.openFromTriage(tx, {
            device,
            code: c.code,
            entry: deps.catalog.byCode(c.code),
            reason: `Escalated from remote case #${c.id} by ${actor.username}: ${reason}`,
            at: now,
            incidentId: c.incidentId,
          });
          ticketId = opened.id;
          live.push(...opened.live);
          afterCommit.push(...opened.afterCommit);
        }
        await saveCase(tx, { ...c, ...r.case });
        await appendAudit(tx, { ...r.audit, data: ticketId === null ? null : { ticketId } });
        live.push({ channel: 'cases', type: 'case.transitioned', id, at: now, data: { from: c.state, to, by: actor.username, ticketId } });
      });
      publish(live);
      afterCommit.forEach((f) => f());
      return service.get(id);
    },
    async note(id, actor, text) {
      const now = deps.clock();
      await deps.db.transaction().execute(async (tx) => {
        const c = await requireCase(tx, id, true);
        await saveCase(tx, { ...c, notes: [...c.notes, { at: now, by: actor.username, text }], updatedAt: now });
      });
      publish([{ channel: 'cases', type: 'case.noted', id, at: now, data: { by: actor.username } }]);
      return service.get(id);
    },
    async listIncidents(filter) {
      const ids = await listIncidentIds(deps.db, filter);
      const out: IncidentRecord[] = [];
      for (const id of ids) {
        const i = await getIncident(deps.db, id, 20);
        if (i) out.push(i);
      }
      return out;
    },
    async getIncident(id) {
      const i = await requireIncident(deps.db, id);
      return {
        ...i,
        decisions: await listDecisions(deps.db, { target: { kind: 'incident', id }, limit: 200 }),
        audit: await listAudit(deps.db, 'incident', id),
        allowedTransitions: [...allowedFrom(INCIDENT_TRANSITIONS, i.state)],
      };
    },
    async transitionIncident(id, to, actor, reason) {
      const now = deps.clock();
      await deps.db.transaction().execute(async (tx) => {
        const i = await requireIncident(tx, id, true);
        const r = transitionIncident(i, to, actor.username, reason, now);
        if (!r.ok) throw new AppError('INCIDENT_INVALID_TRANSITION', r.error);
        await saveIncident(tx, { ...i, ...r.incident });
        await appendAudit(tx, r.audit);
      });
      publish([{ channel: 'incidents', type: 'incident.transitioned', id, at: now, data: { to, by: actor.username } }]);
      return service.getIncident(id);
    },
  };
  return service;
}
