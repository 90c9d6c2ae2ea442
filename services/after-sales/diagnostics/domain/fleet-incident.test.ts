import { describe, expect, it } from 'vitest';
import { CLOSED_INCIDENT_STATES, FleetIncident, INCIDENT_STATES, transitionIncident, type IncidentState } from './fleet-incident.ts';

const OPENED = Date.UTC(2026, 10, 20, 8, 0);
const NOW = Date.UTC(2026, 10, 21, 16, 0);

function incident(state: IncidentState): FleetIncident {
  return { id: 3, code: 'PLC_TIMEOUT', model: 'MT-BOX-S1', firmware: '3.2.1', state, openedAt: OPENED, updatedAt: OPENED, resolvedAt: null };
}

// Written out rather than read from INCIDENT_TRANSITIONS, so a change to the table fails here.
const LEGAL = new Set(['open>acknowledged', 'acknowledged>resolved']);
const PAIRS = INCIDENT_STATES.flatMap((from) => INCIDENT_STATES.map((to) => [from, to] as const));

describe('fleet incident lifecycle', () => {
  it.each(PAIRS.filter(([from, to]) => LEGAL.has(`${from}>${to}`)))('moves from %s to %s with an audit line', (from, to) => {
    const result = transitionIncident(incident(from), to, 'engineer:li.wei', 'firmware 3.2.2 fixes the Modbus timeout', NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(FleetIncident.parse(result.incident)).toEqual({
      ...incident(from),
      state: to,
      updatedAt: NOW,
      resolvedAt: to === 'resolved' ? NOW : null,
    });
    expect(result.audit).toEqual({
      entityKind: 'incident',
      entityId: 3,
      at: NOW,
      actor: 'engineer:li.wei',
      action: 'transition',
      from,
      to,
      reason: 'firmware 3.2.2 fixes the Modbus timeout',
      data: null,
    });
  });

  it.each(PAIRS.filter(([from, to]) => !LEGAL.has(`${from}>${to}`)))('refuses %s to %s, listing the allowed moves', (from, to) => {
    const result = transitionIncident(incident(from), to, 'engineer:li.wei', 'why not', NOW);
    const allowed = [...LEGAL].filter((p) => p.startsWith(`${from}>`)).map((p) => p.slice(from.length + 1));
    expect(result).toEqual({ ok: false, error: { code: 'INCIDENT_INVALID_TRANSITION', from, to, allowed } });
  });

  it('stops collecting boxes once resolved', () => {
    expect(CLOSED_INCIDENT_STATES).toEqual(['resolved']);
  });
});
