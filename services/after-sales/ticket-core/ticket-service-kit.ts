import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError, type ErrorCode } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { publishCommitted, type Channel, type LiveBus, type LiveEvent } from '../../remote-support/realtime/index.ts';
import { markFired, type PendingDeadline } from '../scheduler/index.ts';
import type { TicketResult } from './domain/ticket-result.ts';
import type { EffectRun } from './ticket-effects-runner.ts';

type Tx = Kysely<Database>;

/** The rows a ticket process keeps: one per ticket, holding the domain ticket and its record. */
export interface TicketRows<Row extends { id: number; stored: Stored }, Stored> {
  /** Loads a ticket the transaction will save back, locking its row until the commit (on PostgreSQL). */
  load(tx: Tx, id: number): Promise<Row | null>;
  save(db: Tx, id: number, stored: Stored, at: number): Promise<void>;
}

/** How one process persists a ticket and performs its effects. */
export interface TicketPlumbing<T, E, Stored extends { ticket: T }, Row extends { id: number; stored: Stored }> {
  rows: TicketRows<Row, Stored>;
  runEffects(tx: Tx, id: number, stored: Stored, effects: readonly E[], now: number): Promise<EffectRun<Stored>>;
  channel: Channel;
  /** Live event type announcing a fired deadline, e.g. `rma.deadline-fired`. */
  deadlineFiredType: string;
}

/** What a committed change leaves to do: events to publish and hooks to call. */
export interface Committed {
  live: LiveEvent[];
  after: Array<() => void>;
}

/** Throws a domain refusal as the error the HTTP adapter answers with. */
export function failWith<Code extends ErrorCode>(r: { ok: false; error: { code: Code; details: Record<string, unknown> } }): never {
  throw new AppError(r.error.code, r.error.details);
}

/**
 * Persists a domain result inside `tx`: a refusal throws (rolling the transaction back),
 * otherwise the effects run on the stored ticket and the row is saved.
 */
export async function commitResult<T, E, Code extends ErrorCode, Stored extends { ticket: T }, Row extends { id: number; stored: Stored }>(
  tx: Tx,
  plumbing: TicketPlumbing<T, E, Stored, Row>,
  id: number,
  stored: Stored,
  result: TicketResult<T, E, Code>,
  now: number,
): Promise<EffectRun<Stored>> {
  if (!result.ok) failWith(result);
  const ran = await plumbing.runEffects(tx, id, { ...stored, ticket: result.ticket }, result.effects, now);
  await plumbing.rows.save(tx, id, ran.stored, now);
  return ran;
}

/** After the commit: live events go out, then the hooks run. */
export function afterCommit(bus: LiveBus, log: Logger, out: Committed): void {
  publishCommitted(bus, out.live, log);
  out.after.forEach((f) => f());
}

/**
 * The scheduler's handler for one process's deadlines. The deadline row is marked fired in
 * the same transaction as its effects, so a deadline fires exactly once; one that no longer
 * applies (the ticket moved on, or the deadline was replaced) is logged and left. Answers
 * whether this call claimed the deadline: false when another node's scheduler had it.
 */
export async function fireTicketDeadline<
  T extends { state: string },
  E,
  Code extends ErrorCode,
  Stored extends { ticket: T },
  Row extends { id: number; stored: Stored },
>(
  env: { db: Db; clock: () => number; log: Logger; bus: LiveBus },
  plumbing: TicketPlumbing<T, E, Stored, Row>,
  deadline: PendingDeadline,
  fire: (ticket: T, kind: string, now: number) => TicketResult<T, E, Code>,
  firedMessage: string,
): Promise<boolean> {
  let claimed = false;
  const out = await env.db.transaction().execute(async (tx): Promise<Committed> => {
    const now = env.clock();
    // The ticket is locked before the deadline is claimed: a change of the ticket locks them in
    // that order too (it replaces the ticket's deadlines), so on PostgreSQL the two cannot deadlock.
    const row = await plumbing.rows.load(tx, deadline.entityId);
    claimed = await markFired(tx, deadline.id, now);
    if (!claimed || !row) return { live: [], after: [] };
    const r = fire(row.stored.ticket, deadline.kind, now);
    if (!r.ok) {
      env.log.info({ ticketId: row.id, deadline: deadline.kind, code: r.error.code }, 'deadline no longer applies');
      return { live: [], after: [] };
    }
    const ran = await commitResult(tx, plumbing, row.id, row.stored, r, now);
    env.log.info({ ticketId: row.id, deadline: deadline.kind, state: r.ticket.state }, firedMessage);
    const fired: LiveEvent = { channel: plumbing.channel, type: plumbing.deadlineFiredType, id: row.id, at: now, data: { kind: deadline.kind } };
    return { live: [...ran.live, fired], after: ran.after };
  });
  afterCommit(env.bus, env.log, out);
  return claimed;
}
