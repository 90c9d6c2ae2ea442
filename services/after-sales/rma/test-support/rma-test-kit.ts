import type { Role } from '../../../kernel/roles.ts';
import { calendar, chinaTime } from './rma-calendar.ts';
import { LEGAL_MOVES } from './rma-moves.ts';
import type { RmaContext, RmaResult } from '../domain/rma-effects.ts';
import type { RepairReportInput, RmaState, RmaTicket } from '../domain/rma-ticket.ts';
import type { RmaEdgeKey } from '../domain/rma-transition-table.ts';
import { applyTransition, openTicket } from '../domain/rma-transitions.ts';
import { recordParameterRestore } from '../domain/rma-parameter-restore.ts';

/** Fixtures for the RMA domain tests: the real calendar on fixed data, actors, valid payloads per edge. */

export { calendar, chinaTime };

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function ctx(now: number, role: Role = 'admin', username = `${role}-1`): RmaContext {
  return { now, calendar, actor: { username, role } };
}

/** Unwraps a result the test expects to succeed. */
export function must(result: RmaResult): Extract<RmaResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result;
}

export const FREE_REPORT: RepairReportInput = {
  testResults: '4G module fails to register; replaced under warranty',
  parts: [{ name: '4G module', unitCostFen: 18_000, qty: 1 }],
  damageDegree: 'minor',
  charges: { rule: 'free', partsFen: 0, feeFen: 0, totalFen: 0 },
};

export const CHARGED_REPORT: RepairReportInput = {
  testResults: 'water ingress on the power board; board and fuse replaced',
  parts: [
    { name: 'power board', unitCostFen: 25_000, qty: 1 },
    { name: 'fuse', unitCostFen: 500, qty: 2 },
  ],
  damageDegree: 'moderate',
  charges: { rule: 'parts-and-fee', partsFen: 26_000, feeFen: 15_000, totalFen: 41_000 },
};

const CANCEL = { resolution: 'solved-remotely' };
const SHIPMENT = { carrier: 'SF Express', trackingNumber: 'SF1234567890' };

/** A payload every edge accepts (for the diagnosed edge, a charged report). */
export const VALID_PAYLOADS: Record<RmaEdgeKey, unknown> = {
  'registered->warranty-confirmed': {
    warranty: { inWarranty: true, inScope: true, receiptDate: '2025-03-15', warrantyEndsOn: '2026-03-14' },
    form: { customerName: 'Wuxi Water Works', contactNumber: '0510-12345678', faultPhenomenon: 'no 4G link' },
  },
  'registered->cancelled': CANCEL,
  'warranty-confirmed->awaiting-product': {},
  'warranty-confirmed->cancelled': CANCEL,
  'awaiting-product->in-transit': { ...SHIPMENT, insured: true },
  'awaiting-product->cancelled': CANCEL,
  'in-transit->received': {},
  'received->diagnosed': { report: CHARGED_REPORT },
  'diagnosed->repairing': {},
  'diagnosed->awaiting-decision': {},
  'awaiting-decision->awaiting-payment': {},
  'awaiting-decision->postponed': {},
  'awaiting-decision->returned-unrepaired': {},
  'postponed->awaiting-decision': {},
  'postponed->awaiting-payment': {},
  'postponed->returned-unrepaired': {},
  'awaiting-payment->repairing': { payment: { amountFen: 41_000, reference: 'ICBC-20250901-77' } },
  'awaiting-payment->returned-unrepaired': {},
  'repairing->repaired': {},
  'repaired->tested': { testResults: '72 h burn-in passed' },
  'repaired->repairing': { testResults: 'drops link after 2 h' },
  'tested->shipped-back': SHIPMENT,
  'returned-unrepaired->shipped-back': SHIPMENT,
  'shipped-back->closed': { closure: 'customer-confirmed' },
};

/** How each state is reached from its predecessor in the fixtures. */
const PREVIOUS: Record<Exclude<RmaState, 'registered'>, RmaState> = {
  'warranty-confirmed': 'registered',
  'awaiting-product': 'warranty-confirmed',
  'in-transit': 'awaiting-product',
  received: 'in-transit',
  diagnosed: 'received',
  'awaiting-decision': 'diagnosed',
  'awaiting-payment': 'awaiting-decision',
  postponed: 'awaiting-decision',
  repairing: 'awaiting-payment',
  repaired: 'repairing',
  tested: 'repaired',
  'shipped-back': 'tested',
  'returned-unrepaired': 'awaiting-decision',
  closed: 'shipped-back',
  cancelled: 'registered',
};

export function pathTo(state: RmaState): RmaState[] {
  return state === 'registered' ? ['registered'] : [...pathTo(PREVIOUS[state]), state];
}

/** A non-admin person's role the move allows (per the written-out moves), so fixtures exercise the permission rows. */
export function roleFor(from: RmaState, to: RmaState): Role {
  const roles = LEGAL_MOVES.find(([f, t]) => f === from && t === to)?.[2] ?? [];
  return roles.find((r): r is Role => r !== 'admin' && r !== 'system') ?? 'admin';
}

export const OPENED_AT = chinaTime('2025-09-01', 10); // a Monday

export function openAt(now = OPENED_AT, input: Record<string, unknown> = {}): RmaTicket {
  return must(openTicket({ id: 'RMA-1', serial: 'MTB2411000123', ...input }, { now, calendar, actor: { username: 'amy', role: 'after-sales' } }))
    .ticket;
}

/**
 * A ticket driven through the real transitions into `state`, one step every 10 minutes
 * from `start`. `report` picks the Repair Report for the diagnosed step.
 */
export function ticketIn(
  state: RmaState,
  options: { report?: 'free' | 'charged'; start?: number; restore?: boolean } = {},
): { ticket: RmaTicket; now: number } {
  const path = pathTo(state);
  const start = options.start ?? OPENED_AT;
  let ticket = openAt(start);
  let now = start;
  for (let i = 1; i < path.length; i += 1) {
    const from = path[i - 1] as RmaState;
    const to = path[i] as RmaState;
    now += 10 * 60_000;
    const key = `${from}->${to}` as RmaEdgeKey;
    let payload = VALID_PAYLOADS[key];
    if (key === 'received->diagnosed' && options.report === 'free') payload = { report: FREE_REPORT };
    ticket = must(applyTransition(ticket, { to, reason: `fixture: ${key}`, payload }, ctx(now, roleFor(from, to)))).ticket;
    // A tested box has had its parameters restored unless the test is about that step.
    if (to === 'tested' && options.restore !== false) {
      ticket = must(recordParameterRestore(ticket, { outcome: 'verified', backupId: 1, mismatches: 0 }, ctx(now, 'technician'))).ticket;
    }
  }
  return { ticket, now };
}

/** The report variant an edge needs from its `from` state. */
export function reportFor(from: RmaState, to: RmaState): 'free' | 'charged' {
  return from === 'diagnosed' && to === 'repairing' ? 'free' : 'charged';
}
