import { describe, expect, it } from 'vitest';
import { CASE_STATES, CLOSED_CASE_STATES, RemoteCase, transitionCase, type CaseState } from './remote-case.ts';

const OPENED = Date.UTC(2026, 10, 20, 8, 0);
const NOW = Date.UTC(2026, 10, 20, 10, 15);

function remoteCase(state: CaseState): RemoteCase {
  return { id: 41, serial: 'MTB2411000123', code: 'PLC_TIMEOUT', state, openedAt: OPENED, openedBy: 'triage', updatedAt: OPENED, closedAt: null };
}

// Written out rather than read from CASE_TRANSITIONS, so a change to the table fails here.
const LEGAL = new Set(['open>in-progress', 'open>escalated', 'in-progress>resolved-remotely', 'in-progress>escalated', 'in-progress>abandoned']);
const PAIRS = CASE_STATES.flatMap((from) => CASE_STATES.map((to) => [from, to] as const));

describe('remote case lifecycle', () => {
  it.each(PAIRS.filter(([from, to]) => LEGAL.has(`${from}>${to}`)))('moves from %s to %s with an audit line', (from, to) => {
    const result = transitionCase(remoteCase(from), to, 'engineer:li.wei', 'customer confirmed plc.baud fixed it', NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(RemoteCase.parse(result.case)).toEqual({
      ...remoteCase(from),
      state: to,
      updatedAt: NOW,
      closedAt: CLOSED_CASE_STATES.includes(to) ? NOW : null,
    });
    expect(result.audit).toEqual({
      entityKind: 'case',
      entityId: 41,
      at: NOW,
      actor: 'engineer:li.wei',
      action: 'transition',
      from,
      to,
      reason: 'customer confirmed plc.baud fixed it',
      data: null,
    });
  });

  it.each(PAIRS.filter(([from, to]) => !LEGAL.has(`${from}>${to}`)))('refuses %s to %s, listing the allowed moves', (from, to) => {
    const before = remoteCase(from);
    const result = transitionCase(before, to, 'engineer:li.wei', 'why not', NOW);
    const allowed = [...LEGAL].filter((p) => p.startsWith(`${from}>`)).map((p) => p.slice(from.length + 1));
    expect(result).toEqual({ ok: false, error: { code: 'CASE_INVALID_TRANSITION', from, to, allowed } });
    expect(before).toEqual(remoteCase(from));
  });

  it('treats resolved, escalated and abandoned cases as closed', () => {
    expect(CLOSED_CASE_STATES).toEqual(['resolved-remotely', 'escalated', 'abandoned']);
  });

  it('stamps the close time only when the case closes', () => {
    const started = transitionCase(remoteCase('open'), 'in-progress', 'engineer:li.wei', 'called the site', NOW);
    expect(started.ok && started.case.closedAt).toBeNull();
  });
});
