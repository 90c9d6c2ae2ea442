import type { RmaState } from './rma-ticket.ts';

/**
 * Who decides warranty scope: confirming, rejecting or adding an exclusion makes the customer
 * pay, so it is after-sales' decision (seed: "after-sales confirms the warranty period and
 * scope"), or an admin's. Engineers and technicians report evidence; they do not rule on it.
 */
export const SCOPE_DECIDERS = ['admin', 'after-sales'] as const;

/**
 * Scope stays open until the technician's Repair Report prices the repair (`diagnosed`):
 * after that the charges the customer decides on are fixed, and a cancelled or closed ticket
 * decides nothing.
 */
export const SCOPE_OPEN_STATES: readonly RmaState[] = ['registered', 'warranty-confirmed', 'awaiting-product', 'in-transit', 'received'];

export type ExclusionDecisionRefusal =
  | { code: 'RMA_FORBIDDEN'; role: string; allowed: readonly string[] }
  | { code: 'RMA_SCOPE_CLOSED'; state: RmaState; openIn: readonly RmaState[] };

/** Why this role may not decide an exclusion on a ticket in this state, or null when it may. */
export function exclusionDecisionRefusal(state: RmaState, role: string): ExclusionDecisionRefusal | null {
  // The role first: a refusal must not tell someone without the right what state a ticket is in.
  if (!(SCOPE_DECIDERS as readonly string[]).includes(role)) return { code: 'RMA_FORBIDDEN', role, allowed: SCOPE_DECIDERS };
  if (!SCOPE_OPEN_STATES.includes(state)) return { code: 'RMA_SCOPE_CLOSED', state, openIn: SCOPE_OPEN_STATES };
  return null;
}
