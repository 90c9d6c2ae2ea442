import type { Kysely } from 'kysely';
import { appendAudit, type AuditedEntity } from '../../platform/audit/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Channel, LiveEvent } from '../../remote-support/realtime/index.ts';
import { cancelDeadline, scheduleDeadline } from '../scheduler/index.ts';
import { CORE_EFFECT_KINDS, type EffectVocabulary, type TicketEffect } from './domain/ticket-effects.ts';

type Tx = Kysely<Database>;

/** A message a ticket raised, kept on the stored ticket. */
export interface StoredNotification {
  at: number;
  audience: string;
  topic: string;
  details: Record<string, unknown>;
}

/** The audit row an entry becomes: what happened, between which states, with which data. */
export interface AuditRow {
  action: string;
  from: string | null;
  to: string | null;
  data: Record<string, unknown>;
}

/** What the runner has done so far: the stored ticket, events to publish, work after the commit. */
export interface EffectRun<Stored> {
  stored: Stored;
  live: LiveEvent[];
  after: Array<() => void>;
}

/** Where one process's effects land: its audit entity, its live channel, its own effect kinds. */
export interface TicketEffectsAdapter<V extends EffectVocabulary, Own extends { kind: string }, Stored> {
  entityKind: AuditedEntity;
  channel: Channel;
  /** Live event type of a raised notification, e.g. `rma.notify`. */
  notifyType: string;
  /** How an audit entry is written; by default `opened`/`transition` (or its `action`) with the role. */
  auditRow?(entry: V['audit']): AuditRow;
  /** Called after a deadline row is written, e.g. to warn about a provisional due date. */
  onScheduled?(deadline: V['deadline'], ticketId: number): void;
  /** The effects only this process raises. */
  runOwn?(tx: Tx, ticketId: number, effect: Own, run: EffectRun<Stored>, now: number): Promise<void> | void;
}

function defaultAuditRow(entry: EffectVocabulary['audit']): AuditRow {
  return {
    action: entry.action ?? (entry.from === null ? 'opened' : 'transition'),
    from: entry.from,
    to: entry.to,
    data: { role: entry.role },
  };
}

function isCore<V extends EffectVocabulary, Own extends { kind: string }>(e: TicketEffect<V> | Own): e is TicketEffect<V> {
  return (CORE_EFFECT_KINDS as readonly string[]).includes(e.kind);
}

async function runCore<V extends EffectVocabulary, Own extends { kind: string }, Stored extends { notifications: StoredNotification[] }>(
  tx: Tx,
  ticketId: number,
  e: TicketEffect<V>,
  run: EffectRun<Stored>,
  adapter: TicketEffectsAdapter<V, Own, Stored>,
  now: number,
): Promise<void> {
  switch (e.kind) {
    case 'audit': {
      const row = (adapter.auditRow ?? defaultAuditRow)(e.entry);
      await appendAudit(tx, {
        entityKind: adapter.entityKind,
        entityId: ticketId,
        at: e.entry.at,
        actor: e.entry.actor,
        reason: e.entry.reason,
        ...row,
      });
      break;
    }
    case 'schedule':
      await scheduleDeadline(tx, { entityKind: adapter.entityKind, entityId: ticketId, kind: e.deadline.kind, dueAt: e.deadline.dueAt }, now);
      adapter.onScheduled?.(e.deadline, ticketId);
      break;
    case 'cancel-deadline':
      await cancelDeadline(tx, adapter.entityKind, ticketId, e.deadlineKind, now);
      break;
    case 'live': {
      const { type, at, ticketId: _id, ...data } = e.event;
      run.live.push({ channel: adapter.channel, type, id: ticketId, at, data });
      break;
    }
    case 'notify':
      run.stored = {
        ...run.stored,
        notifications: [...run.stored.notifications, { at: now, audience: e.audience, topic: e.topic, details: e.details }],
      };
      run.live.push({ channel: adapter.channel, type: adapter.notifyType, id: ticketId, at: now, data: { audience: e.audience, topic: e.topic } });
      break;
  }
}

/**
 * Carries out a ticket's effects inside its transaction, in order: audit lines, the
 * scheduler's deadline rows, notifications on the stored ticket, and the process's own
 * kinds. Live events and `after` hooks are returned, to run only after the commit.
 */
export async function runTicketEffects<
  V extends EffectVocabulary,
  Own extends { kind: string },
  Stored extends { notifications: StoredNotification[] },
>(
  tx: Tx,
  ticketId: number,
  stored: Stored,
  effects: readonly (TicketEffect<V> | Own)[],
  adapter: TicketEffectsAdapter<V, Own, Stored>,
  now: number,
): Promise<EffectRun<Stored>> {
  const run: EffectRun<Stored> = { stored, live: [], after: [] };
  for (const e of effects) {
    if (isCore<V, Own>(e)) await runCore(tx, ticketId, e, run, adapter, now);
    else await adapter.runOwn?.(tx, ticketId, e, run, now);
  }
  return run;
}
