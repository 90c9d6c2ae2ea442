import { z } from 'zod';
import type { Role } from '../../../kernel/roles.ts';
import { recordAudit, rmaError, type RmaContext, type RmaResult } from './rma-effects.ts';
import type { RmaState, RmaTicket } from './rma-ticket.ts';

/**
 * Seed: "after repair, the program parameter settings may not be retained". A repaired box
 * goes back only once its parameters were restored from the pre-repair backup and read back
 * identical, or a person waived that with a reason (no backup existed, the customer
 * reconfigures on site).
 */
export const ParameterRestoreRecord = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.enum(['verified', 'failed']),
    backupId: z.number().int().positive(),
    mismatches: z.number().int().nonnegative(),
  }),
  z.strictObject({ outcome: z.literal('waived'), reason: z.string().trim().min(1, 'say why the restore is waived').max(2000) }),
]);
export type ParameterRestoreRecord = z.infer<typeof ParameterRestoreRecord>;

export const RESTORE_STATES: readonly RmaState[] = ['repaired', 'tested'];
export const RESTORE_ROLES: readonly Role[] = ['admin', 'technician'];

/** Records a parameter restore (or its waiver) on a repaired ticket. */
export function recordParameterRestore(ticket: RmaTicket, record: unknown, ctx: RmaContext): RmaResult {
  if (!RESTORE_ROLES.includes(ctx.actor.role)) {
    return rmaError('RMA_FORBIDDEN', { action: 'parameter-restore', role: ctx.actor.role, allowedRoles: RESTORE_ROLES });
  }
  if (!RESTORE_STATES.includes(ticket.state)) {
    return rmaError('RMA_RESTORE_NOT_NOW', { state: ticket.state, allowedStates: RESTORE_STATES });
  }
  const parsed = ParameterRestoreRecord.safeParse(record);
  if (!parsed.success) {
    return rmaError('RMA_PAYLOAD_INVALID', {
      action: 'parameter-restore',
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  const r = parsed.data;
  const reason =
    r.outcome === 'waived'
      ? `parameter restore waived: ${r.reason}`
      : r.outcome === 'verified'
        ? `parameters restored from backup #${r.backupId} and verified`
        : `parameter restore from backup #${r.backupId} failed: ${r.mismatches} parameters differ`;
  return {
    ok: true,
    ticket: { ...ticket, parameterRestore: { ...r, by: ctx.actor.username, at: ctx.now } },
    effects: [
      recordAudit(ticket, ctx.actor, ctx.now, reason, { action: 'parameter-restore' }),
      { kind: 'live', event: { type: 'rma.parameters', ticketId: ticket.id, outcome: r.outcome, at: ctx.now } },
    ],
  };
}

/** Whether the repaired box may go back: restore verified or waived. */
export function restoreSettled(ticket: RmaTicket): boolean {
  return ticket.parameterRestore?.outcome === 'verified' || ticket.parameterRestore?.outcome === 'waived';
}
