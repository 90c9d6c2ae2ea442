import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/store/sqlite-audit-log.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import type { LiveEvent } from '../../remote-support/realtime/live-events.ts';
import { cancelDeadline, scheduleDeadline } from '../scheduler/sqlite-deadlines.ts';
import type { RmaEffect } from './domain/rma-effects.ts';
import type { StoredTicket } from './store/sqlite-rma-store.ts';

type Tx = Kysely<Database>;

/**
 * Carries out a transition's effects inside its transaction: audit lines, the scheduler's
 * deadline rows, notifications on the ticket. Live events are returned, to be published
 * only after the commit.
 */
export async function runRmaEffects(
  tx: Tx,
  ticketId: number,
  stored: StoredTicket,
  effects: readonly RmaEffect[],
  ctx: { now: number; logger: Logger; onBackupRequested?: (serial: string, ticketId: number) => void },
): Promise<{ stored: StoredTicket; live: LiveEvent[]; after: Array<() => void> }> {
  const live: LiveEvent[] = [];
  const after: Array<() => void> = [];
  let next = stored;
  for (const e of effects) {
    switch (e.kind) {
      case 'audit':
        await appendAudit(tx, {
          entityKind: 'rma',
          entityId: ticketId,
          at: e.entry.at,
          actor: e.entry.actor,
          action: e.entry.action ?? (e.entry.standby ? 'standby' : e.entry.from === null ? 'opened' : 'transition'),
          from: e.entry.standby ? e.entry.standby.from : e.entry.from,
          to: e.entry.standby ? e.entry.standby.to : e.entry.to,
          reason: e.entry.reason,
          data: { role: e.entry.role, ...(e.entry.standby ? { ticketState: e.entry.to } : {}) },
        });
        break;
      case 'schedule':
        await scheduleDeadline(tx, { entityKind: 'rma', entityId: ticketId, kind: e.deadline.kind, dueAt: e.deadline.dueAt }, ctx.now);
        if (e.deadline.unofficialYears.length > 0) {
          // Seed deadlines are in working days; a year without official holidays counts weekends only.
          ctx.logger.warn(
            { ticketId, deadline: e.deadline.kind, dueDate: e.deadline.dueDate, unofficialYears: e.deadline.unofficialYears },
            'deadline computed over a year without official holiday data; it may move when the year is added',
          );
        }
        break;
      case 'cancel-deadline':
        await cancelDeadline(tx, 'rma', ticketId, e.deadlineKind, ctx.now);
        break;
      case 'live': {
        const { type, at, ticketId: _id, ...data } = e.event;
        live.push({ channel: 'tickets', type, id: ticketId, at, data });
        break;
      }
      case 'standby-required':
        live.push({ channel: 'tickets', type: 'rma.standby-required', id: ticketId, at: ctx.now, data: { reason: e.reason } });
        break;
      case 'notify':
        next = { ...next, notifications: [...next.notifications, { at: ctx.now, audience: e.audience, topic: e.topic, details: e.details }] };
        live.push({ channel: 'tickets', type: 'rma.notify', id: ticketId, at: ctx.now, data: { audience: e.audience, topic: e.topic } });
        break;
      case 'backup-parameters':
        next = { ...next, backup: { requestedAt: ctx.now, snapshotId: null } };
        if (ctx.onBackupRequested) {
          const hook = ctx.onBackupRequested;
          after.push(() => hook(e.serial, ticketId));
        }
        break;
    }
  }
  return { stored: next, live, after };
}
