import { z } from 'zod';
import { BoundedJsonObject } from '../../../contract/json-limits.ts';
import { Reason } from '../../../kernel/common-schemas.ts';
import { cursorParam, IdKey, PageLimit } from '../../../kernel/page-cursor.ts';
import { Role } from '../../../kernel/roles.ts';
// An audit line as served: the audit log's own schema.
import { AuditEntry as AuditView } from '../../../platform/audit/index.ts';
import { BugFeedbackForm, PlatformState, PlatformTicket } from '../domain/platform-ticket.ts';
import { PlatformNotification, PlatformOrganisation } from '../store/platform-store.ts';

/** HTTP schemas of the platform maintenance API; openapi.json is generated from these. */

export const PlatformTicketView = z.object({
  id: z.number().int(),
  ticket: PlatformTicket.describe('the ticket: state, BUG Feedback Form, confirmation or out-of-scope basis, agreed repair, resolution, deadlines'),
  notifications: z.array(PlatformNotification).describe('messages the workflow raised for the customer, after-sales and engineers'),
  organisation: PlatformOrganisation.nullable().describe('the customer organisation whose account submitted it; null when staff entered it'),
  allowedTransitions: z.array(PlatformState),
  moves: z
    .array(z.object({ to: PlatformState, roles: z.array(Role), summary: z.string() }))
    .describe('the moves from the current state, each with the roles that may make it'),
  audit: z.array(AuditView),
});

export const PlatformTicketQuery = z.object({
  state: PlatformState.optional(),
  limit: PageLimit,
  cursor: cursorParam(IdKey).optional(),
});

/** The customer's BUG Feedback Form, as entered on the PMS. */
export const PlatformTicketBody = BugFeedbackForm;

export const PlatformTransitionBody = z
  .object({
    to: PlatformState,
    reason: Reason,
    payload: BoundedJsonObject.optional().describe('what the edge needs, see the platform transition table'),
  })
  .strict();
