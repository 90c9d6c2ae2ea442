import { appendAudit } from '../../platform/audit/index.ts';
import type { LiveEvent } from '../../remote-support/realtime/index.ts';
import { queueFor } from '../support/index.ts';
import type { TriageDecision } from './domain/fault-triage.ts';
import { CASE_STATES, CLOSED_CASE_STATES } from './domain/remote-case.ts';
import type { FactWindows } from './domain/triage-rules.ts';
import { addIncidentDevice, getCaseForUpdate, insertCase, insertIncident, linkOpenCasesToIncident, saveCase } from './store/case-store.ts';
import type { TriageStatements } from './store/triage-statements.ts';
import type { TicketPort, TriageDevice, Tx } from './triage-ports.ts';

/** Who the audit trail names for what triage does on its own. */
export const SYSTEM = 'diagnostics';

/** What a decision opened or attached to. */
export type TriageTarget = { kind: 'case' | 'ticket' | 'incident'; id: number };

/** One fault decision being carried out inside triage's transaction. */
export interface ActionContext {
  tx: Tx;
  d: TriageDecision;
  code: string;
  device: TriageDevice;
  now: number;
  faultTs: number;
  /** Live events to publish once the transaction commits. */
  live: LiveEvent[];
  /** Work the ticket port asks to run after the commit. */
  afterCommit: Array<() => void>;
}

export interface ActionDeps {
  tickets: TicketPort;
  windows: FactWindows;
  sql: TriageStatements;
}

async function openCase({ tx, d, code, device, now, faultTs, live }: ActionContext): Promise<TriageTarget> {
  const id = await insertCase(tx, {
    deviceId: device.id,
    code,
    queue: queueFor(device.businessLine),
    openedAt: now,
    openedBy: SYSTEM,
    incidentId: null,
    firstFaultAt: faultTs,
  });
  await appendAudit(tx, {
    entityKind: 'case',
    entityId: id,
    at: now,
    actor: SYSTEM,
    action: 'opened',
    from: null,
    to: 'open',
    reason: d.reason,
    data: { ruleId: d.ruleId },
  });
  live.push({ channel: 'cases', type: 'case.opened', id, at: now, data: { serial: device.serial, code, reason: d.reason } });
  return { kind: 'case', id };
}

async function attachCase({ tx, d, code, device, now, faultTs, live }: ActionContext): Promise<TriageTarget | null> {
  const c = d.targetId === null ? null : await getCaseForUpdate(tx, d.targetId);
  if (!c) return null;
  await saveCase(tx, { ...c, faultCount: c.faultCount + 1, lastFaultAt: faultTs, updatedAt: now });
  live.push({ channel: 'cases', type: 'case.fault-attached', id: c.id, at: now, data: { serial: device.serial, code } });
  return { kind: 'case', id: c.id };
}

/** A remote case still open for the box is closed as escalated, pointing at the ticket. */
async function escalateCase(tx: Tx, caseId: number, ticketId: number, now: number, live: LiveEvent[]): Promise<void> {
  const c = await getCaseForUpdate(tx, caseId);
  if (!c || CLOSED_CASE_STATES.includes(c.state)) return;
  const reason = `Escalated to RMA ticket #${ticketId} by triage.`;
  await saveCase(tx, { ...c, state: 'escalated', updatedAt: now, closedAt: now });
  await appendAudit(tx, {
    entityKind: 'case',
    entityId: c.id,
    at: now,
    actor: SYSTEM,
    action: 'transition',
    from: c.state,
    to: 'escalated',
    reason,
    data: { ticketId },
  });
  live.push({ channel: 'cases', type: 'case.transitioned', id: c.id, at: now, data: { from: c.state, to: 'escalated', ticketId } });
}

async function openRma(ctx: ActionContext, deps: ActionDeps): Promise<TriageTarget> {
  const { tx, d, code, device, now, live, afterCommit } = ctx;
  // A remote case still open for this box ends here: the box goes to repair instead.
  const open = await deps.sql.openCaseOf(device.id);
  const opened = await deps.tickets.openFromTriage(tx, { device, code, entry: d.entry, reason: d.reason, at: now, incidentId: null });
  live.push(...opened.live);
  afterCommit.push(...opened.afterCommit);
  if (open) await escalateCase(tx, open.id, opened.id, now, live);
  return { kind: 'ticket', id: opened.id };
}

async function openIncident({ tx, d, code, device, now, live }: ActionContext, deps: ActionDeps): Promise<TriageTarget | null> {
  if (!device.model || !device.firmware) return null;
  const { model, firmware } = device;
  const id = await insertIncident(tx, { code, model, firmware, openedAt: now, note: d.reason });
  // The boxes that raised it within the window, including the ones triaged before the
  // threshold was reached, belong to the incident.
  const since = now - deps.windows.fleetWindowMs;
  const boxes = await tx
    .selectFrom('faults')
    .select('device_id')
    .distinct()
    .where('code', '=', code)
    .where('model', '=', model)
    .where('firmware', '=', firmware)
    .where('state', '=', 'raised')
    .where('received_at', '>=', since)
    // In box order, so the incident lists them alike on SQLite and PostgreSQL (all join at `now`).
    .orderBy('device_id')
    .execute();
  for (const b of boxes) await addIncidentDevice(tx, id, b.device_id, now);
  const openCaseStates = CASE_STATES.filter((s) => !CLOSED_CASE_STATES.includes(s));
  const linked = await linkOpenCasesToIncident(tx, id, { code, model, firmware, since }, openCaseStates);
  const data = { ruleId: d.ruleId, boxes: boxes.length, linkedCases: linked };
  await appendAudit(tx, {
    entityKind: 'incident',
    entityId: id,
    at: now,
    actor: SYSTEM,
    action: 'opened',
    from: null,
    to: 'open',
    reason: d.reason,
    data,
  });
  live.push({ channel: 'incidents', type: 'incident.opened', id, at: now, data: { code, model, firmware, boxes: boxes.length } });
  return { kind: 'incident', id };
}

async function attachIncident({ tx, d, device, now, live }: ActionContext): Promise<TriageTarget | null> {
  if (d.targetId === null) return null;
  await addIncidentDevice(tx, d.targetId, device.id, now);
  live.push({ channel: 'incidents', type: 'incident.box-added', id: d.targetId, at: now, data: { serial: device.serial } });
  return { kind: 'incident', id: d.targetId };
}

/** A fault that cleared itself is noted on the case or ticket it belongs to. */
async function noteCleared({ tx, d, code, now, live }: ActionContext, deps: ActionDeps): Promise<TriageTarget | null> {
  if (d.targetId === null) return null;
  const text = `${code} cleared itself on the box. ${d.reason}`;
  if (d.targetKind === 'case') {
    const c = await getCaseForUpdate(tx, d.targetId);
    if (!c) return null;
    await saveCase(tx, { ...c, notes: [...c.notes, { at: now, by: SYSTEM, text }], updatedAt: now });
    live.push({ channel: 'cases', type: 'case.noted', id: c.id, at: now, data: { text } });
    return { kind: 'case', id: c.id };
  }
  live.push(...(await deps.tickets.note(tx, d.targetId, text, now)));
  return { kind: 'ticket', id: d.targetId };
}

/** Carries out a fault decision; answers what it opened or attached to. */
export async function applyFaultDecision(ctx: ActionContext, deps: ActionDeps): Promise<TriageTarget | null> {
  const { d } = ctx;
  switch (d.action) {
    case 'open-case':
      return openCase(ctx);
    case 'attach-case':
      return attachCase(ctx);
    case 'open-rma':
      return openRma(ctx, deps);
    case 'attach-rma':
      if (d.targetId === null) return null;
      ctx.live.push(...(await deps.tickets.note(ctx.tx, d.targetId, `${ctx.code} reported again by the box. ${d.reason}`, ctx.now)));
      return { kind: 'ticket', id: d.targetId };
    case 'open-incident':
      return openIncident(ctx, deps);
    case 'attach-incident':
      return attachIncident(ctx);
    case 'note-cleared':
      return noteCleared(ctx, deps);
    case 'record':
    case 'record-evidence':
    case 'attach-evidence':
      return null;
  }
}
