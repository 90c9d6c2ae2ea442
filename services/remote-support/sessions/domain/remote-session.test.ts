import { describe, expect, it } from 'vitest';
import {
  endSession,
  openSession,
  RemoteSession,
  SESSION_OUTCOMES,
  SESSION_STATES,
  startSession,
  withTicket,
  type SessionOutcome,
  type SessionState,
} from './remote-session.ts';
import { NewTimelineEntry } from './timeline-entry.ts';

const REQUESTED = Date.UTC(2026, 10, 20, 1, 0);
const NOW = Date.UTC(2026, 10, 20, 2, 15);
const ENGINEER = { username: 'li.wei', role: 'engineer' as const };

function session(state: SessionState, extra: Partial<RemoteSession> = {}): RemoteSession {
  return RemoteSession.parse({
    id: 7,
    serial: 'MTB2411000123',
    caseId: null,
    queue: 'industry',
    state,
    outcome: state === 'ended' ? 'abandoned' : null,
    outcomeReason: state === 'ended' ? 'customer hung up' : null,
    requestedAt: REQUESTED,
    requestedBy: 'zhang.min',
    startedAt: state === 'queued' ? null : REQUESTED,
    startedBy: state === 'queued' ? null : 'zhang.min',
    endedAt: state === 'ended' ? REQUESTED : null,
    endedBy: state === 'ended' ? 'zhang.min' : null,
    ticketId: null,
    lastSeq: 3,
    ...extra,
  });
}

// Written out rather than read from the tables, so a change to them fails here.
const LEGAL_ENDS = new Set(['queued>abandoned', 'active>resolved-remotely', 'active>escalated', 'active>abandoned']);

describe('opening a session', () => {
  it('starts at once inside support hours, started by whoever opened it', () => {
    const { session: s, entries } = openSession({ serial: 'MTB2411000123', caseId: 41, queue: 'industry', inSupportHours: true }, ENGINEER, NOW);
    expect(s).toMatchObject({
      state: 'active',
      caseId: 41,
      requestedAt: NOW,
      requestedBy: 'li.wei',
      startedAt: NOW,
      startedBy: 'li.wei',
      outcome: null,
      ticketId: null,
    });
    expect(entries).toEqual([
      {
        at: NOW,
        author: { kind: 'user', username: 'li.wei', role: 'engineer' },
        kind: 'system',
        data: { action: 'opened', text: 'li.wei opened the session on MTB2411000123 from remote case #41' },
      },
    ]);
    for (const e of entries) expect(NewTimelineEntry.parse(e)).toEqual(e);
  });

  it('waits in its support queue when requested outside support hours', () => {
    const { session: s, entries } = openSession({ serial: 'MTB2411000123', caseId: null, queue: 'logistics', inSupportHours: false }, ENGINEER, NOW);
    expect(s).toMatchObject({ state: 'queued', queue: 'logistics', startedAt: null, startedBy: null });
    expect(entries[0]!.data.text).toBe('li.wei requested a session on MTB2411000123 outside support hours; it waits in the logistics queue');
  });
});

describe('starting a session', () => {
  it('starts a queued session, whatever the hour, with a system entry', () => {
    const r = startSession(session('queued'), ENGINEER, NOW);
    expect(r).toEqual({
      ok: true,
      session: { ...session('queued'), state: 'active', startedAt: NOW, startedBy: 'li.wei' },
      entries: [
        {
          at: NOW,
          author: { kind: 'user', username: 'li.wei', role: 'engineer' },
          kind: 'system',
          data: { action: 'started', text: 'li.wei started the session' },
        },
      ],
      effects: [],
    });
  });

  it.each([
    ['active' as const, ['ended']],
    ['ended' as const, []],
  ])('refuses to start an %s session, listing the allowed moves', (state, allowed) => {
    const before = session(state);
    expect(startSession(before, ENGINEER, NOW)).toEqual({
      ok: false,
      error: { code: 'SESSION_INVALID_TRANSITION', from: state, to: 'active', allowed },
    });
    expect(before).toEqual(session(state));
  });
});

describe('ending a session', () => {
  const PAIRS = SESSION_STATES.flatMap((from) => SESSION_OUTCOMES.map((outcome) => [from, outcome] as const));

  it.each(PAIRS.filter(([from, o]) => LEGAL_ENDS.has(`${from}>${o}`)))('ends a %s session as %s, stamping who and when', (from, outcome) => {
    const r = endSession(session(from), { outcome, reason: 'PLC cable reseated' }, ENGINEER, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(RemoteSession.parse(r.session)).toEqual({
      ...session(from),
      state: 'ended',
      outcome,
      outcomeReason: 'PLC cable reseated',
      endedAt: NOW,
      endedBy: 'li.wei',
    });
    expect(r.entries).toEqual([
      {
        at: NOW,
        author: { kind: 'user', username: 'li.wei', role: 'engineer' },
        kind: 'system',
        data: { action: 'ended', text: `li.wei ended the session: ${outcome} (PLC cable reseated)`, outcome, ticketId: null },
      },
    ]);
  });

  it.each(PAIRS.filter(([from, o]) => !LEGAL_ENDS.has(`${from}>${o}`)))('refuses to end a %s session as %s', (from, outcome) => {
    const r = endSession(session(from), { outcome, reason: 'why not' }, ENGINEER, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'SESSION_INVALID_TRANSITION', from, to: 'ended', outcome });
    if (from === 'queued') expect(r.error.allowedOutcomes).toEqual(['abandoned']);
    if (from === 'ended') expect(r.error.allowed).toEqual([]);
  });

  it.each(SESSION_OUTCOMES.filter((o) => o !== 'escalated'))('asks for no ticket when the outcome is %s', (outcome: SessionOutcome) => {
    const r = endSession(session('active'), { outcome, reason: 'done' }, ENGINEER, NOW);
    expect(r.ok && r.effects).toEqual([]);
  });

  it('asks the adapter to open the RMA ticket when escalated, through the case the session came from', () => {
    const r = endSession(session('active', { caseId: 41 }), { outcome: 'escalated', reason: 'power board dead' }, ENGINEER, NOW);
    expect(r.ok && r.effects).toEqual([{ kind: 'escalate', caseId: 41, serial: 'MTB2411000123', reason: 'power board dead' }]);
  });

  it('records the ticket an escalation opened on the session and in its closing entry', () => {
    const r = endSession(session('active'), { outcome: 'escalated', reason: 'power board dead' }, ENGINEER, NOW);
    if (!r.ok) throw new Error('expected ok');
    const done = withTicket(r.session, r.entries, 512);
    expect(done.session.ticketId).toBe(512);
    expect(done.entries[0]!.data).toEqual({
      action: 'ended',
      text: 'li.wei ended the session: escalated (power board dead); RMA ticket #512',
      outcome: 'escalated',
      ticketId: 512,
    });
  });
});
