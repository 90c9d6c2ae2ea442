import type { NotificationDraft, StoredNotification } from './notification.ts';
import type { PlatformSnapshot, RmaSnapshot } from './notification-rules.ts';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One notification's delivery to an organisation's webhook, as the delivery log shows it. */
export interface WebhookDelivery {
  id: number;
  notificationId: number;
  organisationId: number;
  kind: string;
  url: string;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number;
}

export interface Webhook {
  organisationId: number;
  url: string;
  secret: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What the payment reminder needs of the working-day calendar (China's holidays). */
export interface ReminderCalendar {
  localDate(ms: number): string;
  /** Working days in (from, to]. */
  workingDaysBetween(from: string, to: string): { days: number };
}

/** The tickets the notification rules read, each only when its box or ticket belongs to an organisation. */
export interface NotifiableTickets {
  rma(id: number): Promise<RmaSnapshot | null>;
  platform(id: number): Promise<PlatformSnapshot | null>;
  /** Every ticket now in a state that may need the customer: the catch-up at start-up. */
  rmaNeedingAction(): Promise<RmaSnapshot[]>;
  platformNeedingAction(): Promise<PlatformSnapshot[]>;
}

/** Notifications, webhooks and their deliveries, each filtered by organisation in the query. */
export interface NotificationStore {
  /** Stores the draft once (by its dedupe key) with its webhook delivery; the new id, or null when it existed. */
  add(draft: NotificationDraft, now: number): Promise<number | null>;
  list(
    organisationId: number,
    q: { unreadOnly: boolean; limit: number; beforeId?: number | undefined },
  ): Promise<{ rows: StoredNotification[]; unread: number }>;
  /** Marks one of the organisation's notifications read; null when it has none with this id. */
  markRead(organisationId: number, id: number, now: number): Promise<StoredNotification | null>;
  organisationName(organisationId: number): Promise<string | null>;
  webhook(organisationId: number): Promise<Webhook | null>;
  saveWebhook(organisationId: number, w: { url: string; enabled: boolean; secret?: string }, now: number): Promise<Webhook>;
  deleteWebhook(organisationId: number): Promise<boolean>;
  deliveries(organisationId: number, q: { limit: number; beforeId?: number | undefined }): Promise<WebhookDelivery[]>;
  delivery(organisationId: number, id: number): Promise<WebhookDelivery | null>;
  /** Puts a pending or failed delivery up for an attempt now. */
  retry(organisationId: number, id: number, now: number): Promise<WebhookDelivery | null>;
  due(now: number, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Takes a due delivery for one attempt: moves its next attempt to `leaseUntil` unless another
   * node (or pass) took it first. False when it was taken; an attempt that never records its
   * outcome (a crash mid-send) is retried once the lease has passed.
   */
  claim(id: number, dueAt: number, leaseUntil: number): Promise<boolean>;
  recordAttempt(
    id: number,
    a: { at: number; url: string; state: DeliveryState; status: number | null; error: string | null; nextAttemptAt: number | null },
  ): Promise<void>;
  /** The notification a delivery carries, in the webhook payload's words. */
  notification(id: number): Promise<StoredNotification | null>;
}
