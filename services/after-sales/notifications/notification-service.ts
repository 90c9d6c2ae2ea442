import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { LiveBus, LiveEvent } from '../../remote-support/realtime/index.ts';
import type { NotificationDraft } from './domain/notification.ts';
import type { NotifiableTickets, NotificationStore, ReminderCalendar } from './domain/notification-ports.ts';
import { paymentReminder, platformNotifications, rmaNotifications } from './domain/notification-rules.ts';
import { createNotifiableTickets } from './store/notifiable-tickets.ts';
import { createNotificationStore } from './store/notification-store.ts';
import { deliverDuePass } from './webhook-delivery-worker.ts';
import { sendDelivery } from './webhook-sender.ts';

/** How often due webhook deliveries are looked for; the first retry waits 30 s, so 5 s is plenty. */
export const DELIVERY_POLL_MS = 5_000;
/** How often payments still outstanding are checked for a reminder: a working day is long. */
export const REMINDER_POLL_MS = 10 * 60_000;

export interface NotificationService {
  store: NotificationStore;
  /** Whether webhooks may target private addresses (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Derives the notifications a ticket's committed state asks for; answers how many were new. */
  derive(subject: { kind: 'rma' | 'platform'; id: number }): Promise<number>;
  /** Derives for every ticket now waiting on a customer: what a crash between commit and notification left out. */
  catchUp(): Promise<number>;
  /** Reminds of every payment whose deadline is close (PAYMENT_REMINDER_WORKING_DAYS); answers how many were new. */
  remindDue(): Promise<number>;
  /** Attempts every delivery due now, one pass at a time; answers how many were attempted. */
  deliverDue(): Promise<number>;
  /** Asks for a delivery pass soon (after a retry was requested); only once started. */
  kick(): void;
  /** Waits for derivations queued from live events. */
  idle(): Promise<void>;
  /** Catches up, then polls for due deliveries. */
  start(): Promise<void>;
  /** Stops polling and listening, and waits for the running work. */
  stop(): Promise<void>;
}

export interface NotificationServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  allowPrivate: boolean;
  /** The working-day calendar in force (it can be reloaded), for the payment reminder. */
  calendar: () => ReminderCalendar;
  /** Replaces the HTTP sender (none of the tests do: they run a real receiver). */
  send?: typeof sendDelivery;
}

/** The ticket a committed live event is about, when its channel carries tickets a customer may need to act on. */
function subjectOf(event: LiveEvent): { kind: 'rma' | 'platform'; id: number } | null {
  if (typeof event.id !== 'number') return null;
  if (event.channel === 'tickets') return { kind: 'rma', id: event.id };
  if (event.channel === 'platform-tickets') return { kind: 'platform', id: event.id };
  return null;
}

/**
 * Notifications for the customer and their webhook deliveries. Reacts to the live bus (events
 * are published after the commit) and re-reads the committed ticket, so the notification is
 * derived from state, never from the event; the dedupe key makes every derivation after the
 * first a no-op.
 */
export function createNotificationService(deps: NotificationServiceDeps): NotificationService {
  const log = deps.logger.child({ component: 'notifications' });
  const store = createNotificationStore(deps.db);
  const tickets: NotifiableTickets = createNotifiableTickets(deps.db);
  const send = deps.send ?? sendDelivery;
  let derivations: Promise<unknown> = Promise.resolve();
  let deliveryPass: Promise<number> = Promise.resolve(0);
  const timers: NodeJS.Timeout[] = [];
  let started = false;

  async function addAll(drafts: readonly NotificationDraft[]): Promise<number> {
    let added = 0;
    for (const draft of drafts) {
      const id = await store.add(draft, deps.clock());
      if (id !== null) {
        added++;
        log.info({ notificationId: id, kind: draft.kind, organisationId: draft.organisationId }, 'customer notified');
      }
    }
    if (added > 0) service.kick();
    return added;
  }

  async function derive(subject: { kind: 'rma' | 'platform'; id: number }): Promise<number> {
    if (subject.kind === 'rma') {
      const t = await tickets.rma(subject.id);
      return t ? addAll(rmaNotifications(t)) : 0;
    }
    const t = await tickets.platform(subject.id);
    return t ? addAll(platformNotifications(t)) : 0;
  }

  let stopped = false;
  const worker = { store, clock: deps.clock, log, allowPrivate: deps.allowPrivate, send, running: () => !stopped };

  const unsubscribe = deps.bus.subscribe((event) => {
    const subject = subjectOf(event);
    if (!subject) return;
    derivations = derivations
      .then(() => derive(subject))
      .catch((err: unknown) => log.error({ err, subject }, 'notification not derived; the catch-up at the next start derives it'));
  });

  const service: NotificationService = {
    store,
    allowPrivate: deps.allowPrivate,
    derive,
    async catchUp() {
      const [rma, platform] = await Promise.all([tickets.rmaNeedingAction(), tickets.platformNeedingAction()]);
      const added = (await addAll(rma.flatMap(rmaNotifications))) + (await addAll(platform.flatMap(platformNotifications)));
      if (added > 0) log.info({ added }, 'notifications caught up');
      return added;
    },
    async remindDue() {
      const calendar = deps.calendar();
      const today = calendar.localDate(deps.clock());
      const drafts = (await tickets.rmaNeedingAction()).flatMap((t) => {
        if (t.paymentDueDate === null) return [];
        // On or past the due date (the deadline fires at its end) nothing is left to count.
        const left = today >= t.paymentDueDate ? 0 : calendar.workingDaysBetween(today, t.paymentDueDate).days;
        const draft = paymentReminder(t, left);
        return draft ? [draft] : [];
      });
      return addAll(drafts);
    },
    deliverDue() {
      deliveryPass = deliveryPass.catch(() => 0).then(() => deliverDuePass(worker));
      return deliveryPass;
    },
    kick() {
      if (!started) return;
      service.deliverDue().catch((err: unknown) => log.error({ err }, 'webhook delivery pass failed'));
    },
    async idle() {
      await derivations;
    },
    async start() {
      await service.catchUp();
      await service.remindDue();
      started = true;
      const remind = () => service.remindDue().catch((err: unknown) => log.error({ err }, 'payment reminders not derived'));
      timers.push(
        setInterval(() => service.kick(), DELIVERY_POLL_MS),
        setInterval(remind, REMINDER_POLL_MS),
      );
      for (const t of timers) t.unref();
      service.kick();
    },
    async stop() {
      started = false;
      stopped = true;
      for (const t of timers.splice(0)) clearInterval(t);
      unsubscribe();
      await derivations;
      await deliveryPass.catch(() => 0);
    },
  };
  return service;
}
