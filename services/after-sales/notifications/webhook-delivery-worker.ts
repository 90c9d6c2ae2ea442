import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { afterFailedAttempt } from './domain/delivery-backoff.ts';
import type { NotificationStore, WebhookDelivery } from './domain/notification-ports.ts';
import { DELIVERY_TIMEOUT_MS, type SendOutcome, type sendDelivery } from './webhook-sender.ts';
import { signatureOf } from './webhook-signature.ts';

/** Deliveries attempted per pass; the rest wait for the next. */
const DELIVERIES_PER_PASS = 20;
/** How long a claimed delivery stays taken: well past the send's own timeout. */
const CLAIM_LEASE_MS = 6 * DELIVERY_TIMEOUT_MS;

export interface DeliveryWorkerDeps {
  store: NotificationStore;
  clock: Clock;
  log: Logger;
  allowPrivate: boolean;
  send: typeof sendDelivery;
  /** False once the service stops: the pass ends after the attempt in flight instead of starting the next. */
  running: () => boolean;
}

/** The JSON body of a delivery: the notification, with its organisation. Receivers verify its signature (docs/webhooks.md). */
async function payloadOf(store: NotificationStore, d: WebhookDelivery): Promise<string | null> {
  const [notification, organisation] = await Promise.all([store.notification(d.notificationId), store.organisationName(d.organisationId)]);
  if (!notification) return null;
  return JSON.stringify({
    id: notification.id,
    kind: notification.kind,
    organisation: { id: d.organisationId, name: organisation ?? '' },
    subject: notification.subject,
    title: notification.title,
    text: notification.text,
    createdAt: notification.createdAt,
  });
}

/** One attempt of one delivery, recorded: delivered on 2xx, else retried with back-off or failed for good. */
async function attempt(deps: DeliveryWorkerDeps, d: WebhookDelivery): Promise<void> {
  const { store } = deps;
  const hook = await store.webhook(d.organisationId);
  const body = await payloadOf(store, d);
  let outcome: SendOutcome;
  let url = d.url;
  if (!hook || !hook.enabled || body === null) {
    outcome = { status: null, error: !hook ? 'the webhook was removed' : !hook.enabled ? 'the webhook is disabled' : 'notification gone' };
  } else {
    // The webhook's URL and secret now: a changed URL or rotated secret applies to what is still pending.
    url = hook.url;
    const timestamp = Math.floor(deps.clock() / 1000);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'MT-BOX-Care-Webhook/1',
      'X-MTBox-Delivery': String(d.id),
      'X-MTBox-Timestamp': String(timestamp),
      'X-MTBox-Signature': signatureOf(hook.secret, timestamp, body),
    };
    outcome = await deps.send(url, headers, body, { allowPrivate: deps.allowPrivate });
  }
  const at = deps.clock();
  if (outcome.error === null) {
    await store.recordAttempt(d.id, { at, url, state: 'delivered', status: outcome.status, error: null, nextAttemptAt: null });
    return;
  }
  const attempts = d.attempts + 1;
  const next = afterFailedAttempt(attempts, at);
  await store.recordAttempt(d.id, { at, url, state: next.state, status: outcome.status, error: outcome.error, nextAttemptAt: next.nextAttemptAt });
  deps.log.warn({ deliveryId: d.id, attempts, status: outcome.status, error: outcome.error, state: next.state }, 'webhook delivery failed');
}

/** Attempts the deliveries due now, oldest first; answers how many. */
export async function deliverDuePass(deps: DeliveryWorkerDeps): Promise<number> {
  const due = await deps.store.due(deps.clock(), DELIVERIES_PER_PASS);
  let attempted = 0;
  for (const d of due) {
    if (!deps.running()) break;
    // Several nodes poll the same deliveries: only the one that claims it sends it.
    if (d.nextAttemptAt === null || !(await deps.store.claim(d.id, d.nextAttemptAt, deps.clock() + CLAIM_LEASE_MS))) continue;
    await attempt(deps, d);
    attempted++;
  }
  return attempted;
}
