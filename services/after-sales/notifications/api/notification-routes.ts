import { routesFor, type RouteUser } from '../../../kernel/route-definition.ts';
import { tenantOf } from '../../../kernel/tenant.ts';
import {
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listNotifications,
  markRead,
  type NotificationRouteDeps,
  putWebhook,
  requireOrganisation,
  retryDelivery,
  rotateSecret,
} from './notification-handlers.ts';
import {
  DeliveryList,
  DeliveryQuery,
  DeliveryView,
  NotificationIdParams,
  NotificationList,
  NotificationQuery,
  NotificationView,
  OrganisationDeliveryParams,
  OrganisationIdParams,
  WebhookInput,
  WebhookSaved,
  WebhookView,
} from './notification-schemas.ts';

export type { NotificationRouteDeps } from './notification-handlers.ts';

const defineRoute = routesFor<NotificationRouteDeps>();

/** The signed-in customer's organisation: from the account, never from the request. */
function ownOrganisation(user: RouteUser): number {
  const tenant = tenantOf(user);
  // The permission table admits only customers to portal routes; a vendor account here finds nothing.
  return tenant.kind === 'organisation' ? tenant.organisationId : -1;
}

const PORTAL = { tag: 'portal', access: 'portal:use' } as const;

/** The customer's own notifications and webhook, under /api/portal. */
export const portalNotificationRoutes = [
  defineRoute({
    ...PORTAL,
    method: 'get',
    path: '/api/portal/notifications',
    summary: "What needs your action: the organisation's notifications, newest first, with the unread count",
    query: NotificationQuery,
    response: NotificationList,
    handler: ({ query, deps, user }) => listNotifications(deps, ownOrganisation(user), query),
  }),
  defineRoute({
    ...PORTAL,
    method: 'post',
    path: '/api/portal/notifications/:id/read',
    summary: 'Mark a notification read (it stays in the list)',
    params: NotificationIdParams,
    response: NotificationView,
    errors: ['NOTIFICATION_NOT_FOUND'],
    handler: ({ params, deps, user }) => markRead(deps, ownOrganisation(user), params.id),
  }),
  defineRoute({
    ...PORTAL,
    method: 'get',
    path: '/api/portal/webhook',
    summary: "The organisation's webhook (its secret is never shown again)",
    response: WebhookView,
    errors: ['WEBHOOK_NOT_FOUND'],
    handler: ({ deps, user }) => getWebhook(deps, ownOrganisation(user)),
  }),
  defineRoute({
    ...PORTAL,
    method: 'put',
    path: '/api/portal/webhook',
    summary: 'Set the webhook every notification is POSTed to, signed; answers the secret only when it is created',
    body: WebhookInput,
    response: WebhookSaved,
    errors: ['WEBHOOK_URL_REFUSED'],
    handler: ({ body, deps, user }) => putWebhook(deps, ownOrganisation(user), body, user.username),
  }),
  defineRoute({
    ...PORTAL,
    method: 'delete',
    path: '/api/portal/webhook',
    summary: 'Remove the webhook; pending deliveries fail',
    status: 204,
    errors: ['WEBHOOK_NOT_FOUND'],
    handler: ({ deps, user }) => deleteWebhook(deps, ownOrganisation(user), user.username),
  }),
  defineRoute({
    ...PORTAL,
    method: 'post',
    path: '/api/portal/webhook/rotate-secret',
    summary: 'Replace the signing secret; answers the new one, once',
    response: WebhookSaved,
    errors: ['WEBHOOK_NOT_FOUND'],
    handler: ({ deps, user }) => rotateSecret(deps, ownOrganisation(user), user.username),
  }),
  defineRoute({
    ...PORTAL,
    method: 'get',
    path: '/api/portal/webhook/deliveries',
    summary: "The webhook's delivery log, newest first: attempts, the receiver's status, the next try",
    query: DeliveryQuery,
    response: DeliveryList,
    handler: ({ query, deps, user }) => listDeliveries(deps, ownOrganisation(user), query),
  }),
  defineRoute({
    ...PORTAL,
    method: 'post',
    path: '/api/portal/webhook/deliveries/:id/retry',
    summary: 'Try a failed delivery again now',
    params: NotificationIdParams,
    response: DeliveryView,
    errors: ['WEBHOOK_DELIVERY_NOT_FOUND', 'WEBHOOK_DELIVERY_DELIVERED'],
    handler: ({ params, deps, user }) => retryDelivery(deps, ownOrganisation(user), params.id),
  }),
];

const STAFF = { tag: 'organisations' } as const;

/** The same for staff, on a named organisation. */
export const staffNotificationRoutes = [
  defineRoute({
    ...STAFF,
    access: 'organisations:read',
    method: 'get',
    path: '/api/organisations/:id/notifications',
    summary: "An organisation's notifications, newest first",
    params: OrganisationIdParams,
    query: NotificationQuery,
    response: NotificationList,
    errors: ['ORGANISATION_NOT_FOUND'],
    handler: async ({ params, query, deps }) => listNotifications(deps, await requireOrganisation(deps, params.id), query),
  }),
  defineRoute({
    ...STAFF,
    access: 'organisations:read',
    method: 'get',
    path: '/api/organisations/:id/webhook',
    summary: "An organisation's webhook (its secret is never shown again)",
    params: OrganisationIdParams,
    response: WebhookView,
    errors: ['ORGANISATION_NOT_FOUND', 'WEBHOOK_NOT_FOUND'],
    handler: async ({ params, deps }) => getWebhook(deps, await requireOrganisation(deps, params.id)),
  }),
  defineRoute({
    ...STAFF,
    access: 'organisations:write',
    method: 'put',
    path: '/api/organisations/:id/webhook',
    summary: "Set an organisation's webhook; answers the secret only when it is created",
    params: OrganisationIdParams,
    body: WebhookInput,
    response: WebhookSaved,
    errors: ['ORGANISATION_NOT_FOUND', 'WEBHOOK_URL_REFUSED'],
    handler: async ({ params, body, deps, user }) => putWebhook(deps, await requireOrganisation(deps, params.id), body, user.username),
  }),
  defineRoute({
    ...STAFF,
    access: 'organisations:write',
    method: 'delete',
    path: '/api/organisations/:id/webhook',
    summary: "Remove an organisation's webhook",
    params: OrganisationIdParams,
    status: 204,
    errors: ['ORGANISATION_NOT_FOUND', 'WEBHOOK_NOT_FOUND'],
    handler: async ({ params, deps, user }) => deleteWebhook(deps, await requireOrganisation(deps, params.id), user.username),
  }),
  defineRoute({
    ...STAFF,
    access: 'organisations:write',
    method: 'post',
    path: '/api/organisations/:id/webhook/rotate-secret',
    summary: "Replace an organisation's webhook secret; answers the new one, once",
    params: OrganisationIdParams,
    response: WebhookSaved,
    errors: ['ORGANISATION_NOT_FOUND', 'WEBHOOK_NOT_FOUND'],
    handler: async ({ params, deps, user }) => rotateSecret(deps, await requireOrganisation(deps, params.id), user.username),
  }),
  defineRoute({
    ...STAFF,
    access: 'organisations:read',
    method: 'get',
    path: '/api/organisations/:id/webhook/deliveries',
    summary: "An organisation's webhook delivery log, newest first",
    params: OrganisationIdParams,
    query: DeliveryQuery,
    response: DeliveryList,
    errors: ['ORGANISATION_NOT_FOUND'],
    handler: async ({ params, query, deps }) => listDeliveries(deps, await requireOrganisation(deps, params.id), query),
  }),
  defineRoute({
    ...STAFF,
    access: 'organisations:write',
    method: 'post',
    path: '/api/organisations/:id/webhook/deliveries/:deliveryId/retry',
    summary: 'Try a failed delivery again now',
    params: OrganisationDeliveryParams,
    response: DeliveryView,
    errors: ['ORGANISATION_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND', 'WEBHOOK_DELIVERY_DELIVERED'],
    handler: async ({ params, deps }) => retryDelivery(deps, await requireOrganisation(deps, params.id), params.deliveryId),
  }),
];

export const notificationRoutes = [...portalNotificationRoutes, ...staffNotificationRoutes];
