import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/store/sqlite-audit-log.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { EvidenceType, FaultState, Severity } from '../../contract/payloads.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { publishCommitted, type LiveBus, type LiveEvent } from '../../remote-support/realtime/live-events.ts';
import type { BusinessLine } from '../../edge/registry/domain/device.ts';
import { queueFor } from '../support/domain/support-queues.ts';
import type { CatalogEntry, CatalogIndex } from './domain/fault-catalog.ts';
import { triageEvidence, triageFault, type TriageDecision } from './domain/fault-triage.ts';
import { CASE_STATES, CLOSED_CASE_STATES } from './domain/remote-case.ts';
import { factWindows, type TriageRules } from './domain/triage-rules.ts';
import {
  addIncidentDevice,
  getCase,
  insertCase,
  insertIncident,
  linkOpenCasesToIncident,
  saveCase,
} from './store/sqlite-case-store.ts';
import { insertDecision } from './store/sqlite-decision-store.ts';
import {
  countFleetBoxes,
  countRaises,
  openCaseOf,
  openIncidentOf,
  openTicketOf,
  resolvedCaseSince,
} from './store/sqlite-triage-facts.ts';

type Tx = Kysely<Database>;

/** The device as triage sees it: registry data plus what the box itself reported. */
export interface TriageDevice {
  id: number;
  serial: string;
  model: string | null;
  firmware: string | null;
  businessLine: BusinessLine | null;
}

/** What diagnostics needs from the RMA capability; every call runs in triage's transaction. */
export interface TicketPort {
  closedStates: readonly string[];
  openFromTriage(
    tx: Tx,
    input: { device: TriageDevice; code: string; entry: CatalogEntry | null; reason: string; at: number; incidentId: number | null },
  ): Promise<{ id: number; live: LiveEvent[]; afterCommit: Array<() => void> }>;
  note(tx: Tx, ticketId: number, text: string, at: number): Promise<LiveEvent[]>;
  attachEvidence(tx: Tx, ticketId: number, event: { id: string; type: EvidenceType; ts: number }, at: number): Promise<LiveEvent[]>;
}

export interface DiagnosticsStats {
  decided: number;
  failed: number;
  pending: number;
  /** Fault commit → decision commit, milliseconds, last 1,000 decisions. */
  latencyMs: { p50: number | null; p99: number | null };
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

const SYSTEM = 'diagnostics';
const LATENCY_SAMPLES = 1000;

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
  const windows = factWindows(deps.rules);
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let decided = 0;
  let failed = 0;
  const latencies: number[] = [];

  const publish = (events: LiveEvent[]) => publishCommitted(deps.bus, events, log);

  async function deviceOfRow(table: 'faults' | 'events', rowId: number): Promise<TriageDevice | null> {
    const row = await deps.db.selectFrom(table).select('device_id').where('id', '=', rowId).executeTakeFirst();
    return row ? deps.device(row.device_id) : null;
  }

  async function triageFaultRow(rowId: number): Promise<void> {
    const live: LiveEvent[] = [];
    const afterCommit: Array<() => void> = [];
    // Looked up before the transaction: the registry uses the same single SQLite connection.
    const device = await deviceOfRow('faults', rowId);
    if (!device) return;
    const receivedAt = await deps.db.transaction().execute(async (tx) => {
      const f = await tx.selectFrom('faults').selectAll().where('id', '=', rowId).executeTakeFirst();
      if (!f || f.triaged_at !== null) return null;
      const now = deps.clock();
      // Stamped on the fault so fleet correlation counts what the box ran when it failed.
      await tx.updateTable('faults').set({ model: device.model, firmware: device.firmware }).where('id', '=', rowId).execute();
      const code = f.code;
      const facts = {
        serial: device.serial,
        model: device.model,
        firmware: device.firmware,
        faultId: f.fault_id,
        code,
        severity: f.severity as Severity,
        state: f.state as FaultState,
        ts: Number(f.ts),
        openCase: await openCaseOf(tx, device.id),
        openTicket: await openTicketOf(tx, device.serial, deps.tickets.closedStates),
        openIncident: await openIncidentOf(tx, code, device.model, device.firmware),
        repeatsInWindow: await countRaises(tx, device.id, code, now - windows.repeatWindowMs),
        closedRemoteCaseInWindow: await resolvedCaseSince(tx, device.id, code, now - windows.repeatWindowMs),
        fleetBoxes: await countFleetBoxes(tx, code, device.model, device.firmware, now - windows.fleetWindowMs),
      };
      const decision = triageFault(facts, deps.rules, deps.catalog);
      const target = await apply(tx, decision, device, now, live, afterCommit, Number(f.ts));
      await insertDecision(tx, { deviceId: device.id, source: 'fault', sourceId: rowId, decision, target, at: now });
      await tx.updateTable('faults').set({ triaged_at: now }).where('id', '=', rowId).execute();
      live.push(decisionEvent(device, decision, target, now));
      return Number(f.received_at);
    });
    if (receivedAt !== null) observe(receivedAt);
    publish(live);
    afterCommit.forEach((f) => f());
  }

  async function triageEventRow(rowId: number): Promise<void> {
    const live: LiveEvent[] = [];
    const device = await deviceOfRow('events', rowId);
    if (!device) return;
    const receivedAt = await deps.db.transaction().execute(async (tx) => {
      const e = await tx.selectFrom('events').selectAll().where('id', '=', rowId).executeTakeFirst();
      if (!e || e.triaged_at !== null) return null;
      const now = deps.clock();
      const facts = {
        serial: device.serial,
        model: device.model,
        firmware: device.firmware,
        eventId: e.event_id,
        type: e.type as EvidenceType,
        ts: Number(e.ts),
        openTicket: await openTicketOf(tx, device.serial, deps.tickets.closedStates),
      };
      const decision = triageEvidence(facts, deps.rules, deps.catalog);
      if (decision.action === 'attach-evidence' && decision.targetId !== null) {
        live.push(...(await deps.tickets.attachEvidence(tx, decision.targetId, { id: e.event_id, type: facts.type, ts: facts.ts }, now)));
      }
      const target = decision.targetId === null ? null : { kind: decision.targetKind ?? 'ticket', id: decision.targetId };
      await insertDecision(tx, { deviceId: device.id, source: 'event', sourceId: rowId, decision, target, at: now });
      await tx.updateTable('events').set({ triaged_at: now }).where('id', '=', rowId).execute();
      live.push(decisionEvent(device, decision, target, now));
      return Number(e.received_at);
    });
    if (receivedAt !== null) observe(receivedAt);
    publish(live);
  }

  /** Carries out a fault decision; answers what it opened or attached to. */
  async function apply(
    tx: Tx,
    d: TriageDecision,
    device: TriageDevice,
    now: number,
    live: LiveEvent[],
    afterCommit: Array<() => void>,
    faultTs: number,
  ): Promise<{ kind: 'case' | 'ticket' | 'incident'; id: number } | null> {
    const code = d.code ?? 'UNKNOWN';
    switch (d.action) {
      case 'open-case': {
        const id = await insertCase(tx, {
          deviceId: device.id,
          code,
          queue: queueFor(device.businessLine),
          openedAt: now,
          openedBy: SYSTEM,
          incidentId: null,
          firstFaultAt: faultTs,
        });
        await appendAudit(tx, { entityKind: 'case', entityId: id, at: now, actor: SYSTEM, action: 'opened', from: null, to: 'open', reason: d.reason, data: { ruleId: d.ruleId } });
        live.push({ channel: 'cases', type: 'case.opened', id, at: now, data: { serial: device.serial, code, reason: d.reason } });
        return { kind: 'case', id };
      }
      case 'attach-case': {
        const c = d.targetId === null ? null : await getCase(tx, d.targetId);
        if (!c) return null;
        await saveCase(tx, { ...c, faultCount: c.faultCount + 1, lastFaultAt: faultTs, updatedAt: now });
        live.push({ channel: 'cases', type: 'case.fault-attached', id: c.id, at: now, data: { serial: device.serial, code } });
        return { kind: 'case', id: c.id };
      }
      case 'open-rma': {
        // A remote case still open for this box ends here: the box goes to repair instead.
        const open = await openCaseOf(tx, device.id);
        const opened = await deps.tickets.openFromTriage(tx, { device, code, entry: d.entry, reason: d.reason, at: now, incidentId: null });
        live.push(...opened.live);
        afterCommit.push(...opened.afterCommit);
        if (open) await escalateCase(tx, open.id, opened.id, now, live);
        return { kind: 'ticket', id: opened.id };
      }
      case 'attach-rma': {
        if (d.targetId === null) return null;
        live.push(...(await deps.tickets.note(tx, d.targetId, `${code} reported again by the box. ${d.reason}`, now)));
        return { kind: 'ticket', id: d.targetId };
      }
      case 'open-incident': {
        if (!device.model || !device.firmware) return null;
        const id = await insertIncident(tx, { code, model: device.model, firmware: device.firmware, openedAt: now, note: d.reason });
        // The boxes that raised it within the window, including the ones triaged before the
        // threshold was reached, belong to the incident.
        const since = now - windows.fleetWindowMs;
        const boxes = await tx
          .selectFrom('faults')
          .select('device_id')
          .distinct()
          .where('code', '=', code)
          .where('model', '=', device.model)
          .where('firmware', '=', device.firmware)
          .where('state', '=', 'raised')
          .where('received_at', '>=', since)
          .execute();
        for (const b of boxes) await addIncidentDevice(tx, id, b.device_id, now);
        const linked = await linkOpenCasesToIncident(
          tx,
          id,
          { code, model: device.model, firmware: device.firmware, since },
          CASE_STATES.filter((s) => !CLOSED_CASE_STATES.includes(s)),
        );
        await appendAudit(tx, {
          entityKind: 'incident',
          entityId: id,
          at: now,
          actor: SYSTEM,
          action: 'opened',
          from: null,
          to: 'open',
          reason: d.reason,
          data: { ruleId: d.ruleId, boxes: boxes.length, linkedCases: linked },
        });
        live.push({ channel: 'incidents', type: 'incident.opened', id, at: now, data: { code, model: device.model, firmware: device.firmware, boxes: boxes.length } });
        return { kind: 'incident', id };
      }
      case 'attach-incident': {
        if (d.targetId === null) return null;
        await addIncidentDevice(tx, d.targetId, device.id, now);
        live.push({ channel: 'incidents', type: 'incident.box-added', id: d.targetId, at: now, data: { serial: device.serial } });
        return { kind: 'incident', id: d.targetId };
      }
      case 'note-cleared': {
        if (d.targetId === null) return null;
        const text = `${code} cleared itself on the box. ${d.reason}`;
        if (d.targetKind === 'case') {
          const c = await getCase(tx, d.targetId);
          if (!c) return null;
          await saveCase(tx, { ...c, notes: [...c.notes, { at: now, by: SYSTEM, text }], updatedAt: now });
          live.push({ channel: 'cases', type: 'case.noted', id: c.id, at: now, data: { text } });
          return { kind: 'case', id: c.id };
        }
        live.push(...(await deps.tickets.note(tx, d.targetId, text, now)));
        return { kind: 'ticket', id: d.targetId };
      }
      case 'record':
      case 'record-evidence':
      case 'attach-evidence':
        return null;
    }
  }

  async function escalateCase(tx: Tx, caseId: number, ticketId: number, now: number, live: LiveEvent[]) {
    const c = await getCase(tx, caseId);
    if (!c || CLOSED_CASE_STATES.includes(c.state)) return;
    const reason = `Escalated to RMA ticket #${ticketId} by triage.`;
    await saveCase(tx, { ...c, state: 'escalated', updatedAt: now, closedAt: now });
    await appendAudit(tx, { entityKind: 'case', entityId: c.id, at: now, actor: SYSTEM, action: 'transition', from: c.state, to: 'escalated', reason, data: { ticketId } });
    live.push({ channel: 'cases', type: 'case.transitioned', id: c.id, at: now, data: { from: c.state, to: 'escalated', ticketId } });
  }

  function decisionEvent(device: TriageDevice, d: TriageDecision, target: { kind: string; id: number } | null, now: number): LiveEvent {
    return {
      channel: 'devices',
      type: 'triage.decided',
      id: device.serial,
      at: now,
      data: { code: d.code, action: d.action, ruleId: d.ruleId, reason: d.reason, target },
    };
  }

  function observe(receivedAt: number) {
    decided++;
    latencies.push(deps.clock() - receivedAt);
    if (latencies.length > LATENCY_SAMPLES) latencies.shift();
  }

  function percentile(p: number): number | null {
    if (latencies.length === 0) return null;
    const sorted = [...latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
  }

  const diagnostics: Diagnostics = {
    enqueue(kind, rowId) {
      pending++;
      chain = chain
        .then(() => (kind === 'fault' ? triageFaultRow(rowId) : triageEventRow(rowId)))
        .catch((err: unknown) => {
          // Left untriaged in the database: the next start's resume() takes it again.
          failed++;
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
    stats: () => ({ decided, failed, pending, latencyMs: { p50: percentile(50), p99: percentile(99) } }),
  };
  return diagnostics;
}
