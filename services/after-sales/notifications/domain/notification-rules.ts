import type { NotificationDraft } from './notification.ts';

/*
 * Which state entry of a ticket needs the customer's action, and what we tell them, in plain
 * words. Derived from the committed ticket alone, so deriving again (a replayed event, the
 * catch-up at start-up) gives the same drafts with the same dedupe keys.
 */

/** What the rules read of an RMA ticket whose box belongs to an organisation. */
export interface RmaSnapshot {
  id: number;
  organisationId: number;
  serial: string;
  state: string;
  /** When the ticket entered its current state: part of the dedupe key, so a second entry notifies again. */
  stateSince: number;
  /** What the customer remits (repair plus return freight), in fen; null before a Repair Report. */
  dueFen: number | null;
  decisionDueDate: string | null;
  paymentDueDate: string | null;
  outbound: { carrier: string; trackingNumber: string; repaired: boolean } | null;
}

/** Seed: payment is due within thirty working days; the customer is reminded when this many are left. */
export const PAYMENT_REMINDER_WORKING_DAYS = 5;

/**
 * A reminder for a payment still outstanding when at most PAYMENT_REMINDER_WORKING_DAYS
 * working days are left (`workingDaysLeft`: after today, up to and including the due date).
 * Once per stay in awaiting-payment.
 */
export function paymentReminder(t: RmaSnapshot, workingDaysLeft: number): NotificationDraft | null {
  if (t.state !== 'awaiting-payment' || t.paymentDueDate === null || workingDaysLeft > PAYMENT_REMINDER_WORKING_DAYS) return null;
  const box = `box ${t.serial}`;
  const amount = t.dueFen === null ? 'the amount in the Repair Report' : yuanText(t.dueFen);
  const left = workingDaysLeft <= 0 ? 'is due today' : `is due in ${workingDaysLeft} working day${workingDaysLeft === 1 ? '' : 's'}`;
  return {
    organisationId: t.organisationId,
    kind: 'payment-due',
    subject: { kind: 'rma', id: t.id },
    dedupeKey: `rma:${t.id}:payment-reminder:${t.stateSince}`,
    title: `Reminder: payment for the repair of ${box}`,
    text: `The payment of ${amount} for repairing ${box} ${left}, by ${t.paymentDueDate}. Please pay and enter your payment reference in the portal; without it the box is returned unrepaired.`,
  };
}

/** What the rules read of a platform ticket (a BUG Feedback Form) of an organisation. */
export interface PlatformSnapshot {
  id: number;
  organisationId: number;
  state: string;
  stateSince: number;
  project: string;
  resolutionSummary: string | null;
}

/** Fen as the customer reads an amount: ¥1,234.50. */
export function yuanText(fen: number): string {
  const yuan = Math.floor(fen / 100).toLocaleString('en-US');
  return `¥${yuan}.${String(fen % 100).padStart(2, '0')}`;
}

function rmaDraft(t: RmaSnapshot, kind: NotificationDraft['kind'], title: string, text: string): NotificationDraft {
  return {
    organisationId: t.organisationId,
    kind,
    subject: { kind: 'rma', id: t.id },
    dedupeKey: `rma:${t.id}:${kind}:${t.stateSince}`,
    title,
    text,
  };
}

/** The notification an RMA ticket's current state asks for, if any. */
export function rmaNotifications(t: RmaSnapshot): NotificationDraft[] {
  const box = `box ${t.serial}`;
  const amount = t.dueFen === null ? 'the amount in the Repair Report' : yuanText(t.dueFen);
  switch (t.state) {
    // Seed: both parties confirm the maintenance cost; the customer decides within five working days.
    case 'awaiting-decision':
      return [
        rmaDraft(
          t,
          'cost-to-confirm',
          `Repair cost to confirm for ${box}`,
          `The Repair Report for ${box} is ready. The repair costs ${amount}. Please accept or decline the cost` +
            (t.decisionDueDate ? ` by ${t.decisionDueDate}.` : '.') +
            ' The repair waits for your answer.',
        ),
      ];
    // Seed: payment within thirty working days; the repair starts once it is received.
    case 'awaiting-payment':
      return [
        rmaDraft(
          t,
          'payment-due',
          `Payment due for the repair of ${box}`,
          `You accepted the cost of repairing ${box}. Please pay ${amount}` +
            (t.paymentDueDate ? ` by ${t.paymentDueDate}` : '') +
            ' and enter your payment reference in the portal. The repair starts once the payment is received.',
        ),
      ];
    case 'shipped-back': {
      const how = t.outbound ? ` with ${t.outbound.carrier}, tracking number ${t.outbound.trackingNumber}` : '';
      const what = t.outbound && !t.outbound.repaired ? 'unrepaired, as agreed,' : 'repaired';
      return [
        rmaDraft(
          t,
          'box-shipped-back',
          `${box} is on its way back`,
          `We sent ${box} back to you ${what}${how}. Please tell us within one week if anything is wrong; after that the repair is closed.`,
        ),
      ];
    }
    default:
      return [];
  }
}

/** The notification a platform ticket's current state asks for, if any. */
export function platformNotifications(t: PlatformSnapshot): NotificationDraft[] {
  if (t.state !== 'resolved') return [];
  const summary = t.resolutionSummary ? ` What was done: ${t.resolutionSummary}` : '';
  return [
    {
      organisationId: t.organisationId,
      kind: 'feedback-reminder',
      subject: { kind: 'platform', id: t.id },
      dedupeKey: `platform:${t.id}:feedback-reminder:${t.stateSince}`,
      title: `Please confirm the fix for "${t.project}"`,
      text: `The problem you reported for ${t.project} has been resolved.${summary} Please check and confirm it is fixed, or tell us if it persists.`,
    },
  ];
}
