import type { Role } from '../../../kernel/roles.ts';
import type { RmaState } from '../domain/rma-ticket.ts';

/**
 * Every legal move of an RMA ticket and who may make it, written out from the seed process
 * rather than read from the production table, so a new move or role there fails a test.
 * `system` is the deadline rules acting on their own; `customer` is the portal, where the
 * customer ships the box in, decides on the cost and confirms the return (seed).
 */
export const LEGAL_MOVES: readonly [RmaState, RmaState, readonly (Role | 'system')[]][] = [
  ['registered', 'warranty-confirmed', ['admin', 'after-sales']],
  ['registered', 'cancelled', ['admin', 'after-sales', 'engineer']],
  ['warranty-confirmed', 'awaiting-product', ['admin', 'after-sales']],
  ['warranty-confirmed', 'cancelled', ['admin', 'after-sales', 'engineer']],
  ['awaiting-product', 'in-transit', ['admin', 'after-sales', 'customer']],
  ['awaiting-product', 'cancelled', ['admin', 'after-sales', 'engineer']],
  ['in-transit', 'received', ['admin', 'technician']],
  ['received', 'diagnosed', ['admin', 'technician']],
  ['diagnosed', 'repairing', ['admin', 'technician']],
  ['diagnosed', 'awaiting-decision', ['admin', 'after-sales']],
  ['awaiting-decision', 'awaiting-payment', ['admin', 'after-sales', 'customer']],
  ['awaiting-decision', 'postponed', ['admin', 'after-sales', 'system']],
  ['awaiting-decision', 'returned-unrepaired', ['admin', 'after-sales', 'customer', 'system']],
  ['postponed', 'awaiting-decision', ['admin', 'after-sales']],
  ['postponed', 'awaiting-payment', ['admin', 'after-sales', 'customer']],
  ['postponed', 'returned-unrepaired', ['admin', 'after-sales', 'customer', 'system']],
  ['awaiting-payment', 'repairing', ['admin', 'after-sales']],
  ['awaiting-payment', 'returned-unrepaired', ['admin', 'after-sales', 'system']],
  ['repairing', 'repaired', ['admin', 'technician']],
  ['repaired', 'tested', ['admin', 'technician']],
  ['repaired', 'repairing', ['admin', 'technician']],
  ['tested', 'shipped-back', ['admin', 'after-sales', 'technician']],
  ['returned-unrepaired', 'shipped-back', ['admin', 'after-sales', 'technician']],
  ['shipped-back', 'closed', ['admin', 'after-sales', 'customer']],
];

/** The states one move away from `from`, in the order the API lists them. */
export function nextStates(from: RmaState): RmaState[] {
  return LEGAL_MOVES.filter(([f]) => f === from).map(([, to]) => to);
}
