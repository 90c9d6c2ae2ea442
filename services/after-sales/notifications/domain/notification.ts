import { z } from 'zod';

/**
 * What needs a customer's action, one kind per reason: the Repair Report's cost to accept or
 * decline, a payment due, their box on its way back, and a resolved platform report to confirm.
 */
export const NOTIFICATION_KINDS = ['cost-to-confirm', 'payment-due', 'box-shipped-back', 'feedback-reminder'] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** The ticket a notification is about: an RMA ticket (a box's repair) or a platform ticket (a BUG Feedback Form). */
export const NotificationSubject = z.object({ kind: z.enum(['rma', 'platform']), id: z.number().int() });
export type NotificationSubject = z.infer<typeof NotificationSubject>;

/** A notification the rules derived, before it is stored. */
export interface NotificationDraft {
  organisationId: number;
  kind: NotificationKind;
  subject: NotificationSubject;
  /** One notification per reason: the same state entry derived twice gives the same key. */
  dedupeKey: string;
  title: string;
  text: string;
}

/** A stored notification, as the portal and webhooks show it. */
export interface StoredNotification {
  id: number;
  organisationId: number;
  kind: NotificationKind;
  subject: NotificationSubject;
  title: string;
  text: string;
  createdAt: number;
  readAt: number | null;
}
