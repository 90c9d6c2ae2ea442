/**
 * Error codes of the RMA capability. the HTTP adapter (platform/http/error-handler.ts) maps them to HTTP
 * status; nothing else does.
 */
export const RMA_ERRORS = {
  /** Raised by the store/API when no ticket has the id. */
  RMA_NOT_FOUND: 'RMA_NOT_FOUND',
  /** No edge from the ticket's state to the requested one. */
  RMA_INVALID_TRANSITION: 'RMA_INVALID_TRANSITION',
  /** The edge exists but the actor's role may not take it. */
  RMA_FORBIDDEN: 'RMA_FORBIDDEN',
  /** Reason or payload fails the edge's schema. */
  RMA_PAYLOAD_INVALID: 'RMA_PAYLOAD_INVALID',
  /** The recorded remittance is below the Repair Report's total. */
  RMA_PAYMENT_INSUFFICIENT: 'RMA_PAYMENT_INSUFFICIENT',
  /** A free report goes straight to repair; a charged one through the customer's decision. */
  RMA_WRONG_CHARGE_PATH: 'RMA_WRONG_CHARGE_PATH',
  /** Closing as "feedback period over" before the week has passed. */
  RMA_FEEDBACK_PERIOD_OPEN: 'RMA_FEEDBACK_PERIOD_OPEN',
  /** A standby unit is still with the customer. */
  RMA_STANDBY_OUTSTANDING: 'RMA_STANDBY_OUTSTANDING',
  /** The standby action does not fit the standby state or the ticket state. */
  RMA_STANDBY_INVALID: 'RMA_STANDBY_INVALID',
  /** The ticket never had a deadline of that kind. */
  RMA_DEADLINE_NOT_FOUND: 'RMA_DEADLINE_NOT_FOUND',
  /** A deadline was fired before its due instant. */
  RMA_DEADLINE_NOT_DUE: 'RMA_DEADLINE_NOT_DUE',
  /** A repaired box goes back only after its parameters were restored and verified, or the restore waived. */
  RMA_RESTORE_PENDING: 'RMA_RESTORE_PENDING',
  /** Suggested warranty exclusions must each be confirmed or rejected by a person first. */
  RMA_EXCLUSIONS_UNDECIDED: 'RMA_EXCLUSIONS_UNDECIDED',
  /** A parameter restore needs a snapshot: the pre-repair backup or one named by the caller. */
  RMA_NO_BACKUP: 'RMA_NO_BACKUP',
  /** Warranty scope is decided before the Repair Report prices the repair, not after. */
  RMA_SCOPE_CLOSED: 'RMA_SCOPE_CLOSED',
  /** A box has at most one open RMA ticket; the details name it. */
  RMA_ALREADY_OPEN: 'RMA_ALREADY_OPEN',
  /** Parameters are restored on a repaired box (repaired or tested), not before. */
  RMA_RESTORE_NOT_NOW: 'RMA_RESTORE_NOT_NOW',
  /** The customer reports a remittance while the ticket awaits payment, not before or after. */
  RMA_REMITTANCE_NOT_NOW: 'RMA_REMITTANCE_NOT_NOW',
} as const;
export type RmaErrorCode = keyof typeof RMA_ERRORS;

declare module '../../../kernel/app-error.ts' {
  interface ErrorCodes extends Record<RmaErrorCode, true> {}
}
