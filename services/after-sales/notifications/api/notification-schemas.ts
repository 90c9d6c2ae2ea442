import { z } from 'zod';
import { cursorParam, IdKey, NextCursor, PageLimit } from '../../../kernel/page-cursor.ts';
import { BoolParam } from '../../../kernel/time-params.ts';
import { NotificationKind, NotificationSubject } from '../domain/notification.ts';

export const DEFAULT_NOTIFICATION_PAGE = 50;

export const NotificationIdParams = z.object({ id: z.coerce.number().int().positive() });
export const OrganisationIdParams = z.object({ id: z.coerce.number().int().positive() });
export const OrganisationDeliveryParams = z.object({ id: z.coerce.number().int().positive(), deliveryId: z.coerce.number().int().positive() });

export const NotificationQuery = z.strictObject({
  unread: BoolParam.optional().describe('true: only notifications not read yet'),
  limit: PageLimit,
  cursor: cursorParam(IdKey).optional(),
});

export const NotificationView = z.object({
  id: z.number().int(),
  kind: NotificationKind,
  subject: NotificationSubject.describe('the ticket it is about: rma (a repair) or platform (a BUG Feedback Form)'),
  title: z.string(),
  text: z.string().describe('plain words for the customer'),
  createdAt: z.number().int(),
  readAt: z.number().int().nullable(),
});

export const NotificationList = z.object({
  notifications: z.array(NotificationView).describe('newest first'),
  unread: z.number().int().describe("the organisation's notifications not read yet, on every page"),
  nextCursor: NextCursor,
});

export const WebhookInput = z.strictObject({
  url: z.string().trim().min(1).max(2000).describe('http(s) URL receiving a signed POST per notification'),
  enabled: z.boolean().default(true),
});

export const WebhookView = z.object({
  url: z.string(),
  enabled: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const WebhookSaved = z.object({
  url: z.string(),
  enabled: z.boolean(),
  secret: z.string().optional().describe('the signing secret, answered only when the webhook is created or its secret rotated: store it then'),
});

export const DeliveryView = z.object({
  id: z.number().int(),
  notificationId: z.number().int(),
  kind: z.string(),
  url: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable().describe("the receiver's HTTP status of the last attempt; null when none came"),
  lastError: z.string().nullable().describe('why the last attempt failed, shortened'),
  nextAttemptAt: z.number().int().nullable(),
  deliveredAt: z.number().int().nullable(),
  createdAt: z.number().int(),
});

export const DeliveryQuery = z.strictObject({ limit: PageLimit, cursor: cursorParam(IdKey).optional() });
export const DeliveryList = z.object({ deliveries: z.array(DeliveryView).describe('newest first'), nextCursor: NextCursor });
