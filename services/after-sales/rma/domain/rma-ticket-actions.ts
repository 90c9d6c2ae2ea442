import type { Role } from '../../../kernel/roles.ts';
import { findEdge } from '../../ticket-core/domain/transition-table.ts';
import { SCOPE_DECIDERS, SCOPE_OPEN_STATES } from './rma-exclusion-rules.ts';
import { RESTORE_ROLES, RESTORE_STATES, restoreSettled } from './rma-parameter-restore.ts';
import type { RmaErrorCode } from './errors.ts';
import { STANDBY_STEPS, standbyOut, type StandbyActionKind } from './rma-standby.ts';
import { fitsChargePath } from './rma-transition-steps.ts';
import { TERMINAL_STATES, type RmaState, type RmaTicket } from './rma-ticket.ts';
import { RMA_TRANSITIONS, type EdgeRole } from './rma-transition-table.ts';

/*
 * What a client may offer on a ticket, read from the rules that decide it, so a page shows
 * exactly the moves and actions the server would take without restating the tables.
 */

/** One legal move from the ticket's state: where it leads, which accounts may make it, and what it means. */
export interface TicketMove {
  to: RmaState;
  roles: Role[];
  summary: string;
  /** The refusal the move meets now whatever it carries, or null when it may be made. */
  blockedBy: RmaErrorCode | null;
}

/** Whether an action endpoint would take the ticket in its present state, and which accounts may call it. */
export interface ActionAvailability {
  possible: boolean;
  roles: Role[];
}

export interface TicketActions {
  repairReport: ActionAvailability;
  costConfirmation: ActionAvailability;
  payment: ActionAvailability;
  inboundShipping: ActionAvailability;
  outboundShipping: ActionAvailability;
  standby: Record<StandbyActionKind, ActionAvailability>;
  parameterRestore: ActionAvailability;
  exclusions: ActionAvailability;
}

// `system` is the rules acting on a deadline: no account can be offered its moves.
function accountRoles(roles: readonly (EdgeRole | Role)[]): Role[] {
  return roles.filter((r): r is Role => r !== 'system');
}

/**
 * The refusal a move meets from the ticket as it stands, whatever its payload: the steps'
 * checks that read the ticket alone. Payload checks (the amount paid, the closure kind) are
 * the server's answer to the call.
 */
export function moveRefusal(ticket: RmaTicket, to: RmaState, undecidedExclusions = 0): RmaErrorCode | null {
  if (TERMINAL_STATES.includes(to) && standbyOut(ticket)) return 'RMA_STANDBY_OUTSTANDING';
  // Confirming warranty from the computed answer (what a page offers) waits for every suggested exclusion.
  if (to === 'warranty-confirmed' && undecidedExclusions > 0) return 'RMA_EXCLUSIONS_UNDECIDED';
  if (ticket.state === 'diagnosed' && (to === 'repairing' || to === 'awaiting-decision') && !fitsChargePath(ticket, to)) {
    return 'RMA_WRONG_CHARGE_PATH';
  }
  if (ticket.state === 'tested' && to === 'shipped-back' && !restoreSettled(ticket)) return 'RMA_RESTORE_PENDING';
  return null;
}

/**
 * The moves an account could make from the ticket's state, in table order; moves only the
 * rules make are left out. `undecidedExclusions`: suggested exclusions nobody confirmed or rejected yet.
 */
export function ticketMoves(ticket: RmaTicket, undecidedExclusions = 0): TicketMove[] {
  return RMA_TRANSITIONS.filter((e) => e.from === ticket.state)
    .map((e) => ({ to: e.to, roles: accountRoles(e.roles), summary: e.summary, blockedBy: moveRefusal(ticket, e.to, undecidedExclusions) }))
    .filter((m) => m.roles.length > 0);
}

function edgeRoles(from: RmaState, to: RmaState): Role[] {
  const edge = findEdge<RmaState, (typeof RMA_TRANSITIONS)[number]>(RMA_TRANSITIONS, from, to);
  return edge ? accountRoles(edge.roles) : [];
}

/** Each action endpoint of the ticket: possible now, and for whom. */
export function ticketActions(ticket: RmaTicket): TicketActions {
  const { state } = ticket;
  const open = !TERMINAL_STATES.includes(state);
  const standbyStep = (kind: StandbyActionKind): ActionAvailability => {
    const step = STANDBY_STEPS[kind];
    // A closed or cancelled ticket ships nothing out; a unit on loan may still come back.
    return { possible: ticket.standby.state === step.from && (kind === 'return' || open), roles: [...step.roles] };
  };
  return {
    repairReport: { possible: state === 'received', roles: edgeRoles('received', 'diagnosed') },
    costConfirmation: {
      possible: state === 'diagnosed' && fitsChargePath(ticket, 'awaiting-decision'),
      roles: edgeRoles('diagnosed', 'awaiting-decision'),
    },
    payment: { possible: state === 'awaiting-payment', roles: edgeRoles('awaiting-payment', 'repairing') },
    inboundShipping: { possible: state === 'awaiting-product', roles: edgeRoles('awaiting-product', 'in-transit') },
    outboundShipping: {
      // A repaired box goes back only with its parameters restored or the restore waived.
      possible: (state === 'tested' && restoreSettled(ticket)) || state === 'returned-unrepaired',
      roles: edgeRoles('tested', 'shipped-back'),
    },
    standby: { require: standbyStep('require'), dispatch: standbyStep('dispatch'), return: standbyStep('return') },
    parameterRestore: { possible: RESTORE_STATES.includes(state), roles: [...RESTORE_ROLES] },
    exclusions: { possible: SCOPE_OPEN_STATES.includes(state), roles: [...SCOPE_DECIDERS] },
  };
}
