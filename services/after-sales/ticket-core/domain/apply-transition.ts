import { z } from 'zod';
import { allowedFrom, findEdge, type Edge } from './transition-table.ts';
import { issuesOf, ticketError, type TicketError, type TicketResult } from './ticket-result.ts';

/** Every move says why, for the audit log. */
export const TransitionReason = z.string().trim().min(1).max(2000);

/** A request to move a ticket: where to, why, and what the edge needs. */
export interface TransitionRequest<State extends string> {
  to: State;
  reason: string;
  payload?: unknown;
}

/** The codes a process answers the table's own refusals with (each process keeps its own). */
export interface TransitionCodes<Code extends string> {
  /** No edge from the ticket's state to the requested one. */
  invalid: Code;
  /** The edge exists but the actor's role may not take it. */
  forbidden: Code;
  /** Reason or payload fails the edge's schema. */
  payloadInvalid: Code;
}

/** A ticket process as data: its table, its codes, and how it records and announces a move. */
export interface TicketProcess<State extends string, Role extends string, Effect, Code extends string> {
  table: readonly Edge<State, Role>[];
  codes: TransitionCodes<Code>;
  /** The effect recording the move in the ticket's history (always first). */
  audited(entry: { at: number; actor: string; role: Role; from: State; to: State; reason: string }): Effect;
  /** The live event announcing the move (always last). */
  announced(move: { ticketId: string; from: State; to: State; at: number }): Effect;
}

type Moved<T, E> = { ticket: T; effects: E[] };

/** A process's own rules around one move; only `step` is required. */
export interface MoveRules<State extends string, T, E, Code extends string> {
  /** A refusal the process adds once the table allowed the move, before the ticket changes. */
  refuse?(ticket: T, from: State, to: State): TicketError<Code> | null;
  /** The ticket in its new state before the edge's step runs; by default state and stateSince. */
  move?(ticket: T, to: State): T;
  /** What the edge does beyond changing the state, given its parsed payload. */
  step(moved: T, payload: unknown, from: State): TicketResult<T, E, Code>;
  /** Bookkeeping after the step, e.g. deadlines that no longer apply. */
  settle?(ticket: T): Moved<T, E>;
}

/**
 * Checks a requested move against the table (legal, allowed to the role, reason and payload
 * valid) and hands back the row and the parsed payload.
 */
export function checkMove<State extends string, Role extends string, Code extends string>(
  process: Pick<TicketProcess<State, Role, unknown, Code>, 'table' | 'codes'>,
  from: State,
  request: TransitionRequest<State>,
  role: Role,
): { ok: true; edge: Edge<State, Role>; reason: string; payload: unknown } | { ok: false; error: TicketError<Code> } {
  const { to } = request;
  const edge = findEdge(process.table, from, to);
  if (!edge) return ticketError(process.codes.invalid, { from, to, allowed: allowedFrom(process.table, from) });
  if (!edge.roles.includes(role)) {
    return ticketError(process.codes.forbidden, { from, to, role, allowedRoles: edge.roles });
  }
  const reason = TransitionReason.safeParse(request.reason);
  const payload = edge.payload.safeParse(request.payload ?? {});
  if (!reason.success || !payload.success) {
    return ticketError(process.codes.payloadInvalid, {
      from,
      to,
      issues: [...(reason.success ? [] : issuesOf(reason.error, ['reason'])), ...(payload.success ? [] : issuesOf(payload.error, ['payload']))],
    });
  }
  return { ok: true, edge, reason: reason.data, payload: payload.data };
}

/**
 * Moves a ticket along one edge of its process's table: the table's checks, the process's
 * own rules, then `{ ticket, effects }` with the audit line first and the live event last.
 */
export function applyTransition<
  State extends string,
  Role extends string,
  T extends { id: string; state: State; stateSince: number },
  E,
  Code extends string,
>(
  process: TicketProcess<State, Role, E, Code>,
  ticket: T,
  request: TransitionRequest<State>,
  actor: { username: string; role: Role },
  now: number,
  rules: MoveRules<State, T, E, Code>,
): TicketResult<T, E, Code> {
  const from = ticket.state;
  const { to } = request;
  const checked = checkMove(process, from, request, actor.role);
  if (!checked.ok) return checked;
  const refusal = rules.refuse?.(ticket, from, to) ?? null;
  if (refusal) return { ok: false, error: refusal };
  const moved = rules.move ? rules.move(ticket, to) : { ...ticket, state: to, stateSince: now };
  const step = rules.step(moved, checked.payload, from);
  // The step sees the ticket already moved; a refusal must still name where it stands.
  if (!step.ok) return { ok: false, error: { ...step.error, details: { ...step.error.details, from } } };
  const settled = rules.settle ? rules.settle(step.ticket) : { ticket: step.ticket, effects: [] };
  return {
    ok: true,
    ticket: settled.ticket,
    effects: [
      process.audited({ at: now, actor: actor.username, role: actor.role, from, to, reason: checked.reason }),
      ...settled.effects,
      ...step.effects,
      process.announced({ ticketId: ticket.id, from, to, at: now }),
    ],
  };
}
