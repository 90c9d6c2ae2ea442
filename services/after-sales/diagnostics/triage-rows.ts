import type { Selectable } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import type { EvidenceType, FaultState, Severity } from '../../contract/payloads.ts';
import type { Db } from '../../platform/db/index.ts';
import type { FaultTable } from '../../platform/db/index.ts';
import type { LiveEvent } from '../../remote-support/realtime/index.ts';
import type { CatalogIndex } from './domain/fault-catalog.ts';
import { triageEvidence, triageFault, type TriageDecision } from './domain/fault-triage.ts';
import { factWindows, type TriageRules } from './domain/triage-rules.ts';
import { insertDecision } from './store/sqlite-decision-store.ts';
import { countFleetBoxes, countRaises, openCaseOf, openIncidentOf, openTicketOf, resolvedCaseSince } from './store/sqlite-triage-facts.ts';
import { applyFaultDecision, type ActionDeps } from './triage-actions.ts';
import type { TicketPort, TriageDevice, Tx } from './triage-ports.ts';

export interface RowTriageDeps {
  db: Db;
  clock: Clock;
  catalog: CatalogIndex;
  rules: TriageRules;
  tickets: TicketPort;
  /** Model and firmware the box reported (shadow), falling back to the registry's. */
  device(deviceId: number): Promise<TriageDevice | null>;
}

/** One triaged row: when the broker stored it (null if there was nothing left to triage), and what to publish. */
export interface RowOutcome {
  receivedAt: number | null;
  live: LiveEvent[];
  afterCommit: Array<() => void>;
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

/** Everything the fault rules look at, read inside the decision's transaction so it cannot go stale. */
async function faultFacts(tx: Tx, f: Selectable<FaultTable>, device: TriageDevice, now: number, deps: RowTriageDeps) {
  const windows = factWindows(deps.rules);
  const code = f.code;
  return {
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
}

/**
 * Reads the facts, asks the pure triage rules, and commits the decision together with what it
 * opens or attaches. `triaged_at` is set in the same transaction, so a crash before the commit
 * leaves the row for resume().
 */
export function createRowTriage(deps: RowTriageDeps) {
  const actionDeps: ActionDeps = { tickets: deps.tickets, windows: factWindows(deps.rules) };

  async function deviceOfRow(table: 'faults' | 'events', rowId: number): Promise<TriageDevice | null> {
    const row = await deps.db.selectFrom(table).select('device_id').where('id', '=', rowId).executeTakeFirst();
    return row ? deps.device(row.device_id) : null;
  }

  async function fault(rowId: number): Promise<RowOutcome | null> {
    const live: LiveEvent[] = [];
    const afterCommit: Array<() => void> = [];
    // Looked up before the transaction: the registry uses the same single SQLite connection.
    const device = await deviceOfRow('faults', rowId);
    if (!device) return null;
    const receivedAt = await deps.db.transaction().execute(async (tx) => {
      const f = await tx.selectFrom('faults').selectAll().where('id', '=', rowId).executeTakeFirst();
      if (!f || f.triaged_at !== null) return null;
      const now = deps.clock();
      // Stamped on the fault so fleet correlation counts what the box ran when it failed.
      await tx.updateTable('faults').set({ model: device.model, firmware: device.firmware }).where('id', '=', rowId).execute();
      const decision = triageFault(await faultFacts(tx, f, device, now, deps), deps.rules, deps.catalog);
      const ctx = { tx, d: decision, code: decision.code ?? 'UNKNOWN', device, now, faultTs: Number(f.ts), live, afterCommit };
      const target = await applyFaultDecision(ctx, actionDeps);
      await insertDecision(tx, { deviceId: device.id, source: 'fault', sourceId: rowId, decision, target, at: now });
      await tx.updateTable('faults').set({ triaged_at: now }).where('id', '=', rowId).execute();
      live.push(decisionEvent(device, decision, target, now));
      return Number(f.received_at);
    });
    return { receivedAt, live, afterCommit };
  }

  async function event(rowId: number): Promise<RowOutcome | null> {
    const live: LiveEvent[] = [];
    const device = await deviceOfRow('events', rowId);
    if (!device) return null;
    const receivedAt = await deps.db.transaction().execute(async (tx) => {
      const e = await tx.selectFrom('events').selectAll().where('id', '=', rowId).executeTakeFirst();
      if (!e || e.triaged_at !== null) return null;
      const now = deps.clock();
      const type = e.type as EvidenceType;
      const facts = {
        serial: device.serial,
        model: device.model,
        firmware: device.firmware,
        eventId: e.event_id,
        type,
        ts: Number(e.ts),
        openTicket: await openTicketOf(tx, device.serial, deps.tickets.closedStates),
      };
      const decision = triageEvidence(facts, deps.rules, deps.catalog);
      if (decision.action === 'attach-evidence' && decision.targetId !== null) {
        live.push(...(await deps.tickets.attachEvidence(tx, decision.targetId, { id: e.event_id, type, ts: facts.ts }, now)));
      }
      const target = decision.targetId === null ? null : { kind: decision.targetKind ?? 'ticket', id: decision.targetId };
      await insertDecision(tx, { deviceId: device.id, source: 'event', sourceId: rowId, decision, target, at: now });
      await tx.updateTable('events').set({ triaged_at: now }).where('id', '=', rowId).execute();
      live.push(decisionEvent(device, decision, target, now));
      return Number(e.received_at);
    });
    return { receivedAt, live, afterCommit: [] };
  }

  return { fault, event };
}
