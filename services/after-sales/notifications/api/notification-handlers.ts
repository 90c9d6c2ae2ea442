import { AppError } from '../../../kernel/app-error.ts';
import type { Clock } from '../../../kernel/clock.ts';
import { pageOf } from '../../../kernel/page-cursor.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { NotificationService } from '../notification-service.ts';
import type { WebhookDelivery } from '../domain/notification-ports.ts';
import type { StoredNotification } from '../domain/notification.ts';
import { checkTarget } from '../webhook-sender.ts';
import { newWebhookSecret } from '../webhook-signature.ts';
import { DEFAULT_NOTIFICATION_PAGE } from './notification-schemas.ts';

/** What the notification and webhook routes need. */
export interface NotificationRouteDeps {
  clock: Clock;
  logger: Logger;
  notifications: NotificationService;
}

/*
 * What the portal's routes (the signed-in customer's organisation) and the staff routes (a
 * named organisation) do alike. Every store call names the organisation, so an id of
 * another organisation's row answers exactly as an id that does not exist.
 */

const notificationView = ({ organisationId: _o, ...n }: StoredNotification) => n;
const deliveryView = ({ organisationId: _o, ...d }: WebhookDelivery) => d;

export async function listNotifications(
  deps: NotificationRouteDeps,
  organisationId: number,
  query: { unread?: boolean | undefined; limit?: number | undefined; cursor?: number | undefined },
) {
  const limit = query.limit ?? DEFAULT_NOTIFICATION_PAGE;
  const { rows, unread } = await deps.notifications.store.list(organisationId, {
    unreadOnly: query.unread === true,
    limit,
    beforeId: query.cursor,
  });
  const { page, nextCursor } = pageOf(rows, limit, (n) => n.id);
  return { notifications: page.map(notificationView), unread, nextCursor };
}

export async function markRead(deps: NotificationRouteDeps, organisationId: number, id: number) {
  const n = await deps.notifications.store.markRead(organisationId, id, deps.clock());
  if (!n) throw new AppError('NOTIFICATION_NOT_FOUND', { id });
  return notificationView(n);
}

export async function getWebhook(deps: NotificationRouteDeps, organisationId: number) {
  const hook = await deps.notifications.store.webhook(organisationId);
  if (!hook) throw new AppError('WEBHOOK_NOT_FOUND', {});
  return { url: hook.url, enabled: hook.enabled, createdAt: hook.createdAt, updatedAt: hook.updatedAt };
}

/** Creates (with a new secret, answered once) or changes the organisation's webhook. */
export async function putWebhook(deps: NotificationRouteDeps, organisationId: number, body: { url: string; enabled: boolean }, by: string) {
  const refusal = await checkTarget(body.url, deps.notifications.allowPrivate);
  if (refusal) throw new AppError('WEBHOOK_URL_REFUSED', { reason: refusal });
  const store = deps.notifications.store;
  const existing = await store.webhook(organisationId);
  const secret = existing ? undefined : newWebhookSecret();
  const saved = await store.saveWebhook(organisationId, { ...body, ...(secret ? { secret } : {}) }, deps.clock());
  deps.logger.info({ organisationId, enabled: saved.enabled, created: !existing, by }, 'webhook saved');
  return { url: saved.url, enabled: saved.enabled, ...(secret ? { secret } : {}) };
}

export async function rotateSecret(deps: NotificationRouteDeps, organisationId: number, by: string) {
  const store = deps.notifications.store;
  const existing = await store.webhook(organisationId);
  if (!existing) throw new AppError('WEBHOOK_NOT_FOUND', {});
  const secret = newWebhookSecret();
  const saved = await store.saveWebhook(organisationId, { url: existing.url, enabled: existing.enabled, secret }, deps.clock());
  deps.logger.info({ organisationId, by }, 'webhook secret rotated');
  return { url: saved.url, enabled: saved.enabled, secret };
}

export async function deleteWebhook(deps: NotificationRouteDeps, organisationId: number, by: string) {
  if (!(await deps.notifications.store.deleteWebhook(organisationId))) throw new AppError('WEBHOOK_NOT_FOUND', {});
  deps.logger.info({ organisationId, by }, 'webhook removed');
}

export async function listDeliveries(
  deps: NotificationRouteDeps,
  organisationId: number,
  query: { limit?: number | undefined; cursor?: number | undefined },
) {
  const limit = query.limit ?? DEFAULT_NOTIFICATION_PAGE;
  const rows = await deps.notifications.store.deliveries(organisationId, { limit, beforeId: query.cursor });
  const { page, nextCursor } = pageOf(rows, limit, (d) => d.id);
  return { deliveries: page.map(deliveryView), nextCursor };
}

/** Puts a failed (or still pending) delivery up for an attempt now. */
export async function retryDelivery(deps: NotificationRouteDeps, organisationId: number, id: number) {
  const store = deps.notifications.store;
  const found = await store.delivery(organisationId, id);
  if (!found) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND', { id });
  if (found.state === 'delivered') throw new AppError('WEBHOOK_DELIVERY_DELIVERED', { id });
  const retried = await store.retry(organisationId, id, deps.clock());
  if (!retried) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND', { id });
  deps.notifications.kick();
  return deliveryView(retried);
}

/** A staff route's organisation must exist; its name is answered with the webhook payloads. */
export async function requireOrganisation(deps: NotificationRouteDeps, id: number): Promise<number> {
  if ((await deps.notifications.store.organisationName(id)) === null) throw new AppError('ORGANISATION_NOT_FOUND', { id });
  return id;
}
