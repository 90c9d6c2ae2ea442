/*
 * The customer's side of an RMA ticket, as rules over plain data: who acts next, what the
 * customer may do now, which deadlines are theirs. The portal's pages put these in words
 * (dashboard/views/portal-words.js); the server enforces the same moves through RMA's table.
 */

/** Who the ticket waits for: the customer, the vendor's people, or nobody (finished). */
export type WaitingFor = 'customer' | 'vendor' | 'nobody';

// Seed: the customer ships the box in, decides on the cost within 5 working days, pays within
// 30, and confirms the returned box; every other step is the vendor's.
const CUSTOMER_STATES: readonly string[] = ['awaiting-product', 'awaiting-decision', 'postponed', 'awaiting-payment', 'shipped-back'];
const FINISHED_STATES: readonly string[] = ['closed', 'cancelled'];

export function waitingFor(state: string): WaitingFor {
  if (FINISHED_STATES.includes(state)) return 'nobody';
  return CUSTOMER_STATES.includes(state) ? 'customer' : 'vendor';
}

/** The states in which the customer accepts or declines the Repair Report's cost. */
export const DECISION_STATES: readonly string[] = ['awaiting-decision', 'postponed'];

/** What the customer may do on the ticket now; the buttons the portal shows. */
export interface CustomerMay {
  decide: boolean;
  recordPayment: boolean;
  ship: boolean;
  confirmReceipt: boolean;
}

export function customerMay(state: string): CustomerMay {
  return {
    decide: DECISION_STATES.includes(state),
    recordPayment: state === 'awaiting-payment',
    ship: state === 'awaiting-product',
    confirmReceipt: state === 'shipped-back',
  };
}

/** Why a cost decision is refused now, or null: only a ticket waiting for it takes one. */
export function decisionRefusal(state: string): { state: string; allowedStates: string[] } | null {
  return DECISION_STATES.includes(state) ? null : { state, allowedStates: [...DECISION_STATES] };
}

/** Whose a deadline is: the customer's (decide, pay, feedback) or the vendor's promise. */
export type DeadlineOwner = 'customer' | 'vendor';
const DEADLINE_OWNERS: Readonly<Record<string, DeadlineOwner>> = {
  'first-response': 'vendor',
  'repair-cycle': 'vendor',
  decision: 'customer',
  payment: 'customer',
  feedback: 'customer',
};

export interface DeadlineFacts<K extends string> {
  kind: K;
  dueAt: number;
  dueDate: string;
  firedAt: number | null;
  cancelledAt: number | null;
}

/** The deadlines still running, soonest first, each with whose it is. */
export function runningDeadlines<K extends string>(
  deadlines: readonly DeadlineFacts<K>[],
): { kind: K; dueAt: number; dueDate: string; owner: DeadlineOwner }[] {
  return deadlines
    .filter((d) => d.firedAt === null && d.cancelledAt === null)
    .sort((a, b) => a.dueAt - b.dueAt)
    .map((d) => ({ kind: d.kind, dueAt: d.dueAt, dueDate: d.dueDate, owner: DEADLINE_OWNERS[d.kind] ?? 'vendor' }));
}

/**
 * Seed: the Repair Report reaches the customer with the cost confirmation (a charged repair)
 * or with the returned box (a free one); before that it is the technician's draft.
 */
export function reportVisible(report: { sentAt: number | null } | null): boolean {
  return report !== null && report.sentAt !== null;
}
