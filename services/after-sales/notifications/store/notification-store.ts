import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Database, WebhookDeliveryTable, WebhookTable } from '../../../platform/db/index.ts';
import { NotificationKind, NotificationSubject, type StoredNotification } from '../domain/notification.ts';
import type { DeliveryState, NotificationStore, Webhook, WebhookDelivery } from '../domain/notification-ports.ts';

/*
 * Notifications, webhooks and deliveries in SQLite. Every read names the organisation in its
 * WHERE clause, so another organisation's row is never read, whatever id is asked for.
 */

const NotificationData = z.object({ title: z.string(), text: z.string() });

type NotificationRow = Selectable<Database['notifications']>;

function toNotification(r: NotificationRow): StoredNotification {
  const data = NotificationData.parse(JSON.parse(r.data));
  return {
    id: r.id,
    organisationId: r.organisation_id,
    kind: NotificationKind.parse(r.kind),
    subject: NotificationSubject.parse({ kind: r.subject_kind, id: r.subject_id }),
    title: data.title,
    text: data.text,
    createdAt: Number(r.created_at),
    readAt: r.read_at === null ? null : Number(r.read_at),
  };
}

function toWebhook(r: Selectable<WebhookTable>): Webhook {
  return {
    organisationId: r.organisation_id,
    url: r.url,
    secret: r.secret,
    enabled: r.enabled === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

const num = (v: number | null) => (v === null ? null : Number(v));

function toDelivery(r: Selectable<WebhookDeliveryTable> & { kind: string }): WebhookDelivery {
  return {
    id: r.id,
    notificationId: r.notification_id,
    organisationId: r.organisation_id,
    kind: r.kind,
    url: r.url,
    state: r.state as DeliveryState,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    nextAttemptAt: num(r.next_attempt_at),
    deliveredAt: num(r.delivered_at),
    createdAt: Number(r.created_at),
  };
}

type NotificationRows = Pick<NotificationStore, 'add' | 'list' | 'markRead' | 'organisationName' | 'notification'>;
type WebhookRows = Omit<NotificationStore, keyof NotificationRows>;

/** Notifications, webhooks and their deliveries over one database. */
export function createNotificationStore(db: Kysely<Database>): NotificationStore {
  return { ...notificationRows(db), ...webhookRows(db) };
}

function notificationRows(db: Kysely<Database>): NotificationRows {
  return {
    async add(draft, now) {
      // One transaction: a notification never exists without the delivery its webhook asks for.
      return db.transaction().execute(async (tx) => {
        const res = await tx
          .insertInto('notifications')
          .values({
            organisation_id: draft.organisationId,
            kind: draft.kind,
            subject_kind: draft.subject.kind,
            subject_id: draft.subject.id,
            dedupe_key: draft.dedupeKey,
            data: JSON.stringify({ title: draft.title, text: draft.text }),
            created_at: now,
            read_at: null,
          })
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .returning('id')
          .executeTakeFirst();
        // No row back: the dedupe key was taken, the notification already exists.
        if (!res) return null;
        const id = res.id;
        const hook = await tx
          .selectFrom('webhooks')
          .select('url')
          .where('organisation_id', '=', draft.organisationId)
          .where('enabled', '=', 1)
          .executeTakeFirst();
        if (hook) {
          await tx
            .insertInto('webhook_deliveries')
            .values({
              notification_id: id,
              organisation_id: draft.organisationId,
              url: hook.url,
              state: 'pending',
              next_attempt_at: now,
              created_at: now,
            })
            .execute();
        }
        return id;
      });
    },
    async list(organisationId, q) {
      let query = db.selectFrom('notifications').selectAll().where('organisation_id', '=', organisationId);
      if (q.unreadOnly) query = query.where('read_at', 'is', null);
      if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
      const [rows, count] = await Promise.all([
        query
          .orderBy('id', 'desc')
          .limit(q.limit + 1)
          .execute(),
        db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organisation_id', '=', organisationId)
          .where('read_at', 'is', null)
          .executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(toNotification), unread: Number(count.n) };
    },
    async markRead(organisationId, id, now) {
      // Read once: the first reading's time stays.
      await db
        .updateTable('notifications')
        .set({ read_at: now })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('read_at', 'is', null)
        .execute();
      const r = await db
        .selectFrom('notifications')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? toNotification(r) : null;
    },
    async organisationName(organisationId) {
      const r = await db.selectFrom('organisations').select('name').where('id', '=', organisationId).executeTakeFirst();
      return r?.name ?? null;
    },
    async notification(id) {
      const r = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toNotification(r) : null;
    },
  };
}

function webhookRows(db: Kysely<Database>): WebhookRows {
  const deliveries = () =>
    db.selectFrom('webhook_deliveries as w').innerJoin('notifications as n', 'n.id', 'w.notification_id').selectAll('w').select('n.kind');
  const delivery = async (organisationId: number, id: number) => {
    const r = await deliveries().where('w.organisation_id', '=', organisationId).where('w.id', '=', id).executeTakeFirst();
    return r ? toDelivery(r) : null;
  };
  return {
    async webhook(organisationId) {
      const r = await db.selectFrom('webhooks').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst();
      return r ? toWebhook(r) : null;
    },
    async saveWebhook(organisationId, w, now) {
      const set = { url: w.url, enabled: w.enabled ? 1 : 0, updated_at: now, ...(w.secret !== undefined ? { secret: w.secret } : {}) };
      const existing = await db.selectFrom('webhooks').select('organisation_id').where('organisation_id', '=', organisationId).executeTakeFirst();
      if (existing) {
        await db.updateTable('webhooks').set(set).where('organisation_id', '=', organisationId).execute();
      } else {
        if (w.secret === undefined) throw new Error('a new webhook needs its secret');
        await db
          .insertInto('webhooks')
          .values({ organisation_id: organisationId, url: w.url, secret: w.secret, enabled: w.enabled ? 1 : 0, created_at: now, updated_at: now })
          .execute();
      }
      const saved = await db.selectFrom('webhooks').selectAll().where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
      return toWebhook(saved);
    },
    async deleteWebhook(organisationId) {
      const res = await db.deleteFrom('webhooks').where('organisation_id', '=', organisationId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async deliveries(organisationId, q) {
      let query = deliveries().where('w.organisation_id', '=', organisationId);
      if (q.beforeId !== undefined) query = query.where('w.id', '<', q.beforeId);
      const rows = await query
        .orderBy('w.id', 'desc')
        .limit(q.limit + 1)
        .execute();
      return rows.map(toDelivery);
    },
    delivery,
    async retry(organisationId, id, now) {
      await db
        .updateTable('webhook_deliveries')
        .set({ state: 'pending', next_attempt_at: now })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('state', '!=', 'delivered')
        .execute();
      return delivery(organisationId, id);
    },
    async due(now, limit) {
      const rows = await deliveries()
        .where('w.state', '=', 'pending')
        .where('w.next_attempt_at', '<=', now)
        .orderBy('w.next_attempt_at')
        .orderBy('w.id')
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },
    async claim(id, dueAt, leaseUntil) {
      // Compare-and-set on the due time the pass read: of two nodes that read the same due row, one updates it.
      const res = await db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: leaseUntil })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('next_attempt_at', '=', dueAt)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async recordAttempt(id, a) {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          url: a.url,
          state: a.state,
          last_attempt_at: a.at,
          last_status: a.status,
          last_error: a.error,
          next_attempt_at: a.nextAttemptAt,
          ...(a.state === 'delivered' ? { delivered_at: a.at } : {}),
        }))
        .where('id', '=', id)
        .execute();
    },
  };
}
