import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/store/sqlite-audit-log.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { LiveEvent } from '../../remote-support/realtime/live-events.ts';
import { cancelDeadline, scheduleDeadline } from '../scheduler/sqlite-deadlines.ts';
import type { PlatformEffect } from './domain/platform-effects.ts';
import type { StoredPlatformTicket } from './store/sqlite-platform-store.ts';

type Tx = Kysely<Database>;

/**
 * Carries out a platform ticket's effects inside its transaction: audit lines, the
 * scheduler's deadline rows, notifications on the ticket. Live events are returned, to be
 * published only after the commit.
 */
export async function runPlatformEffects(
  tx: Tx,
  ticketId: number,
  stored: StoredPlatformTicket,
  effects: readonly PlatformEffect[],
  ctx: { now: number },
): Promise<{ stored: StoredPlatformTicket; live: LiveEvent[] }> {
  const live: LiveEvent[] = [];
  let next = stored;
  for (const e of effects) {
    switch (e.kind) {
      case 'audit':
        await appendAudit(tx, {
          entityKind: 'platform',
          entityId: ticketId,
          at: e.entry.at,
          actor: e.entry.actor,
          action: e.entry.from === null ? 'opened' : 'transition',
          from: e.entry.from,
          to: e.entry.to,
          reason: e.entry.reason,
          data: { role: e.entry.role },
        });
        break;
      case 'schedule':
        await scheduleDeadline(tx, { entityKind: 'platform', entityId: ticketId, kind: e.deadline.kind, dueAt: e.deadline.dueAt }, ctx.now);
        break;
      case 'cancel-deadline':
        await cancelDeadline(tx, 'platform', ticketId, e.deadlineKind, ctx.now);
        break;
      case 'live': {
        const { type, at, ticketId: _id, ...data } = e.event;
        live.push({ channel: 'platform-tickets', type, id: ticketId, at, data });
        break;
      }
      case 'notify':
        next = { ...next, notifications: [...next.notifications, { at: ctx.now, audience: e.audience, topic: e.topic, details: e.details }] };
        live.push({ channel: 'platform-tickets', type: 'platform-ticket.notify', id: ticketId, at: ctx.now, data: { audience: e.audience, topic: e.topic } });
        break;
    }
  }
  return { stored: next, live };
}
