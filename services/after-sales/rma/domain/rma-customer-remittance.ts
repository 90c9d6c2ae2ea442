import { z } from 'zod';
import type { Role } from '../../../kernel/roles.ts';
import { Fen } from '../../../kernel/money.ts';
import { issuesOf } from '../../ticket-core/domain/ticket-result.ts';
import { recordAudit, rmaError, type RmaContext, type RmaResult } from './rma-effects.ts';
import type { RmaState, RmaTicket } from './rma-ticket.ts';

/**
 * Seed: the customer pays within 30 working days of the cost confirmation. What they report
 * here is their word (amount and bank reference), recorded on the ticket and in its audit
 * trail; after-sales still confirms the remittance itself, and that move starts the repair.
 */
export const RemittanceReport = z.strictObject({
  amountFen: Fen.refine((n) => n > 0, 'a remittance is more than nothing'),
  reference: z.string().trim().min(1).max(200),
});
export type RemittanceReport = z.infer<typeof RemittanceReport>;

export const REMITTANCE_STATES: readonly RmaState[] = ['awaiting-payment'];
export const REMITTANCE_ROLES: readonly Role[] = ['customer'];
/** A ticket keeps at most this many reported remittances. */
export const MAX_REMITTANCES = 50;

/** Records a remittance the customer reports while the ticket awaits payment. */
export function recordCustomerRemittance(ticket: RmaTicket, report: unknown, ctx: RmaContext): RmaResult {
  if (!REMITTANCE_ROLES.includes(ctx.actor.role)) {
    return rmaError('RMA_FORBIDDEN', { action: 'remittance', role: ctx.actor.role, allowedRoles: REMITTANCE_ROLES });
  }
  const earlier = ticket.customerRemittances ?? [];
  if (!REMITTANCE_STATES.includes(ticket.state) || earlier.length >= MAX_REMITTANCES) {
    return rmaError('RMA_REMITTANCE_NOT_NOW', { state: ticket.state, allowedStates: REMITTANCE_STATES });
  }
  const parsed = RemittanceReport.safeParse(report);
  if (!parsed.success) return rmaError('RMA_PAYLOAD_INVALID', { action: 'remittance', issues: issuesOf(parsed.error) });
  const r = parsed.data;
  const remittance = { amountFen: r.amountFen, reference: r.reference, recordedBy: ctx.actor.username, recordedAt: ctx.now };
  return {
    ok: true,
    ticket: { ...ticket, customerRemittances: [...earlier, remittance] },
    effects: [
      recordAudit(ticket, ctx.actor, ctx.now, `the customer reports a remittance of ${r.amountFen} fen, reference ${r.reference}`, {
        action: 'customer-remittance',
      }),
    ],
  };
}
