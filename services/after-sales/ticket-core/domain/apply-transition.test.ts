import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyTransition, type MoveRules, type TicketProcess } from './apply-transition.ts';
import { claimDeadline, dueDeadlineKinds } from './ticket-deadlines.ts';
import { allowedFrom, mayTake, type Edge } from './transition-table.ts';

// A small process of its own, so the core is tested apart from RMA and platform tickets.
type State = 'open' | 'shut' | 'locked';
type Role = 'guard' | 'visitor';
type Effect = { kind: string; note: string };
interface Door {
  id: string;
  state: State;
  stateSince: number;
  key: string | null;
  deadlines: { kind: string; dueAt: number; firedAt: number | null; cancelledAt: number | null }[];
}

const TABLE: Edge<State, Role>[] = [
  { from: 'open', to: 'shut', roles: ['guard', 'visitor'], payload: z.strictObject({}), summary: 'anyone shuts it' },
  { from: 'shut', to: 'open', roles: ['guard', 'visitor'], payload: z.strictObject({}), summary: 'anyone opens it' },
  { from: 'shut', to: 'locked', roles: ['guard'], payload: z.strictObject({ key: z.string().min(1) }), summary: 'the guard locks it' },
];
const DOOR: TicketProcess<State, Role, Effect, 'BAD_MOVE' | 'NOT_YOURS' | 'BAD_PAYLOAD' | 'JAMMED'> = {
  table: TABLE,
  codes: { invalid: 'BAD_MOVE', forbidden: 'NOT_YOURS', payloadInvalid: 'BAD_PAYLOAD' },
  audited: (e) => ({ kind: 'audit', note: `${e.actor} ${e.from}->${e.to}: ${e.reason}` }),
  announced: (m) => ({ kind: 'live', note: `${m.ticketId} ${m.from}->${m.to}` }),
};
const RULES: MoveRules<State, Door, Effect, 'JAMMED'> = {
  step: (moved, payload) => ({
    ok: true,
    ticket: { ...moved, key: (payload as { key?: string }).key ?? moved.key },
    effects: [{ kind: 'step', note: moved.state }],
  }),
};
const door = (state: State): Door => ({ id: 'D1', state, stateSince: 0, key: null, deadlines: [] });
const guard = { username: 'gus', role: 'guard' as const };
const visitor = { username: 'vic', role: 'visitor' as const };

describe('the transition table', () => {
  it('answers who may take a move and where a state leads', () => {
    expect(mayTake(TABLE, 'shut', 'locked', 'guard')).toBe(true);
    expect(mayTake(TABLE, 'shut', 'locked', 'visitor')).toBe(false);
    expect(mayTake(TABLE, 'open', 'locked', 'guard')).toBe(false);
    expect(allowedFrom(TABLE, 'shut')).toEqual(['open', 'locked']);
    expect(allowedFrom(TABLE, 'locked')).toEqual([]);
  });
});

describe('applying a transition', () => {
  it('moves the ticket and puts the audit line first and the live event last', () => {
    const r = applyTransition(DOOR, door('shut'), { to: 'locked', reason: 'night', payload: { key: 'K7' } }, guard, 5, {
      ...RULES,
      settle: (t) => ({ ticket: t, effects: [{ kind: 'settle', note: 'tidied' }] }),
    });
    expect(r).toEqual({
      ok: true,
      ticket: { id: 'D1', state: 'locked', stateSince: 5, key: 'K7', deadlines: [] },
      effects: [
        { kind: 'audit', note: 'gus shut->locked: night' },
        { kind: 'settle', note: 'tidied' },
        { kind: 'step', note: 'locked' },
        { kind: 'live', note: 'D1 shut->locked' },
      ],
    });
  });

  it('refuses with the process codes: no such move, wrong role, bad reason or payload', () => {
    const go = (state: State, to: State, actor: typeof guard | typeof visitor, reason = 'why', payload?: unknown) =>
      applyTransition(DOOR, door(state), { to, reason, payload }, actor, 1, RULES);
    expect(go('open', 'locked', guard)).toEqual({
      ok: false,
      error: { code: 'BAD_MOVE', details: { from: 'open', to: 'locked', allowed: ['shut'] } },
    });
    expect(go('shut', 'locked', visitor, 'why', { key: 'K' })).toEqual({
      ok: false,
      error: { code: 'NOT_YOURS', details: { from: 'shut', to: 'locked', role: 'visitor', allowedRoles: ['guard'] } },
    });
    expect(go('shut', 'locked', guard, ' ', { key: '' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_PAYLOAD', details: { from: 'shut', to: 'locked', issues: [{ path: ['reason'] }, { path: ['payload', 'key'] }] } },
    });
  });

  it('lets the process refuse before the move, and names the state a failed step left', () => {
    const jammed = applyTransition(DOOR, door('shut'), { to: 'open', reason: 'out' }, visitor, 1, {
      ...RULES,
      refuse: (_t, from, to) => ({ code: 'JAMMED', details: { to, at: from } }),
    });
    expect(jammed).toEqual({ ok: false, error: { code: 'JAMMED', details: { to: 'open', at: 'shut' } } });
    const failed = applyTransition(DOOR, door('shut'), { to: 'open', reason: 'out' }, visitor, 1, {
      step: () => ({ ok: false, error: { code: 'JAMMED', details: { to: 'open' } } }),
    });
    expect(failed).toEqual({ ok: false, error: { code: 'JAMMED', details: { to: 'open', from: 'shut' } } });
  });
});

describe('firing a deadline', () => {
  const codes = { notFound: 'NO_DEADLINE', notDue: 'NOT_DUE' } as const;
  const withAlarm = { ...door('locked'), deadlines: [{ kind: 'alarm', dueAt: 100, firedAt: null, cancelledAt: null }] };

  it('claims a due deadline once, refuses an early or unknown one', () => {
    expect(dueDeadlineKinds(withAlarm.deadlines, 99)).toEqual([]);
    expect(dueDeadlineKinds(withAlarm.deadlines, 100)).toEqual(['alarm']);
    expect(claimDeadline(withAlarm, 'alarm', 99, codes)).toEqual({
      claimed: false,
      result: { ok: false, error: { code: 'NOT_DUE', details: { kind: 'alarm', dueAt: 100 } } },
    });
    expect(claimDeadline(withAlarm, 'bell', 100, codes)).toEqual({
      claimed: false,
      result: { ok: false, error: { code: 'NO_DEADLINE', details: { kind: 'bell', state: 'locked' } } },
    });
    const first = claimDeadline(withAlarm, 'alarm', 100, codes);
    if (!first.claimed) throw new Error('expected the deadline to be claimed');
    expect(first.fired.deadlines).toEqual([{ kind: 'alarm', dueAt: 100, firedAt: 100, cancelledAt: null }]);
    expect(claimDeadline(first.fired, 'alarm', 101, codes)).toEqual({ claimed: false, result: { ok: true, ticket: first.fired, effects: [] } });
  });
});
