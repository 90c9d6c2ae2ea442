import { describe, expect, it } from 'vitest';
import { EVIDENCE_TYPES } from '../../../contract/payloads.ts';
import catalogJson from '../catalog/fault-catalog.json' with { type: 'json' };
import rulesJson from '../catalog/triage-rules.json' with { type: 'json' };
import { createCatalogIndex, parseCatalog } from './fault-catalog.ts';
import { TriageDecision, triageEvidence, triageFault } from './fault-triage.ts';
import type { EvidenceFacts, FaultFacts } from './triage-facts.ts';
import { parseRules } from './triage-rules.ts';

const catalog = createCatalogIndex(parseCatalog(catalogJson));
const rules = parseRules(rulesJson);
const NOW = Date.UTC(2026, 10, 20, 9, 30);

function fault(overrides: Partial<FaultFacts> = {}): FaultFacts {
  return {
    serial: 'MTB2411000123',
    model: 'MT-BOX-S1',
    firmware: '3.2.1',
    faultId: 'f-1001',
    code: 'PLC_TIMEOUT',
    severity: 'warning',
    state: 'raised',
    ts: NOW,
    openCase: null,
    openTicket: null,
    openIncident: null,
    repeatsInWindow: 1,
    closedRemoteCaseInWindow: false,
    fleetBoxes: 1,
    ...overrides,
  };
}

function evidence(overrides: Partial<EvidenceFacts> = {}): EvidenceFacts {
  return { serial: 'MTB2411000123', model: 'MT-BOX-S1', firmware: '3.2.1', eventId: 'e-77', type: 'surge', ts: NOW, openTicket: null, ...overrides };
}

const decide = (overrides: Partial<FaultFacts> = {}) => triageFault(fault(overrides), rules, catalog);

describe('remote-solvable faults', () => {
  it('open a remote-guidance case', () => {
    const d = decide();
    expect([d.ruleId, d.action, d.targetKind, d.targetId]).toEqual(['remote-open-case', 'open-case', null, null]);
    expect(d.reason).toBe(
      'PLC answers too slowly (PLC_TIMEOUT, warning) on MTB2411000123 can be solved by remote guidance; a remote case is opened with the catalog steps.',
    );
  });

  it('join the box’s open case when the same fault repeats, never opening a second one', () => {
    const d = decide({ openCase: { id: 41 }, repeatsInWindow: 2 });
    expect([d.ruleId, d.action, d.targetKind, d.targetId]).toEqual(['case-attach', 'attach-case', 'case', 41]);
  });

  it('join the open case whatever code opened it', () => {
    const d = decide({ code: 'MODBUS_CRC_ERRORS', openCase: { id: 41 } });
    expect([d.action, d.targetId]).toEqual(['attach-case', 41]);
  });

  it('are only recorded when informational', () => {
    const d = decide({ code: 'NTP_UNSYNCED', severity: 'info' });
    expect([d.ruleId, d.action]).toEqual(['remote-info-record', 'record']);
  });

  it('open a case when an informational fault keeps repeating', () => {
    expect(decide({ code: 'NTP_UNSYNCED', severity: 'info', repeatsInWindow: 2 }).action).toBe('record');
    const d = decide({ code: 'NTP_UNSYNCED', severity: 'info', repeatsInWindow: 3 });
    expect([d.ruleId, d.action]).toEqual(['remote-info-repeating', 'open-case']);
    expect(d.reason).toContain('raised 3 times within 24 h');
  });

  it('go by the severity the box reported, not the catalog’s', () => {
    expect(decide({ code: 'NTP_UNSYNCED', severity: 'error' }).action).toBe('open-case');
  });
});

describe('hardware faults', () => {
  it('open an RMA ticket', () => {
    const d = decide({ code: 'FLASH_WRITE_FAILED', severity: 'error' });
    expect([d.ruleId, d.action, d.targetId]).toEqual(['rma-open-ticket', 'open-rma', null]);
  });

  it('join the box’s open RMA ticket', () => {
    const d = decide({ code: 'RADIO_MODULE_DEAD', severity: 'critical', openTicket: { id: 7 } });
    expect([d.ruleId, d.action, d.targetKind, d.targetId]).toEqual(['rma-attach-ticket', 'attach-rma', 'ticket', 7]);
  });

  it('open a ticket even while a remote case is open', () => {
    expect(decide({ code: 'ETH_PHY_FAULT', severity: 'error', openCase: { id: 41 } }).action).toBe('open-rma');
  });
});

describe('a remote fault that keeps coming back after its case was resolved', () => {
  const repeating = { repeatsInWindow: 3, closedRemoteCaseInWindow: true } as const;

  it('escalates to RMA, saying why', () => {
    const d = decide(repeating);
    expect([d.ruleId, d.action]).toEqual(['remote-repeat-escalate', 'open-rma']);
    expect(d.reason).toBe(
      'PLC_TIMEOUT came back 3 times within 24 h on MTB2411000123 although a remote case for it was resolved in that window; remote guidance did not hold, so hardware is suspected and an RMA ticket is opened.',
    );
  });

  it('joins the open RMA ticket instead of opening another', () => {
    const d = decide({ ...repeating, repeatsInWindow: 5, openTicket: { id: 9 } });
    expect([d.ruleId, d.action, d.targetId]).toEqual(['remote-repeat-attach-rma', 'attach-rma', 9]);
  });

  it('escalates even when a newer case is open', () => {
    expect(decide({ ...repeating, openCase: { id: 42 } }).action).toBe('open-rma');
  });

  it('stays with remote guidance below the repeat threshold or without a resolved case', () => {
    expect(decide({ ...repeating, repeatsInWindow: 2 }).action).toBe('open-case');
    expect(decide({ ...repeating, closedRemoteCaseInWindow: false, openCase: { id: 42 } }).action).toBe('attach-case');
  });

  it('never sends a box back for an informational fault', () => {
    expect(decide({ ...repeating, code: 'NTP_UNSYNCED', severity: 'info' }).ruleId).toBe('remote-info-repeating');
  });
});

describe('fleet correlation', () => {
  it('opens one incident once five boxes of a model and firmware raise a code within the window', () => {
    expect(decide({ fleetBoxes: 4 }).action).toBe('open-case');
    const d = decide({ fleetBoxes: 5 });
    expect([d.ruleId, d.action, d.targetId]).toEqual(['fleet-open-incident', 'open-incident', null]);
    expect(d.reason).toBe(
      '5 boxes of MT-BOX-S1 on firmware 3.2.1 raised PLC_TIMEOUT within 60 min (threshold 5): likely firmware or a production batch, so one fleet incident instead of a case or RMA per box.',
    );
  });

  it('comes before the per-box case or ticket', () => {
    expect(decide({ fleetBoxes: 6, openCase: { id: 41 } }).action).toBe('open-incident');
    expect(decide({ fleetBoxes: 6, code: 'FLASH_WRITE_FAILED', severity: 'error' }).action).toBe('open-incident');
    expect(decide({ fleetBoxes: 6, repeatsInWindow: 3, closedRemoteCaseInWindow: true }).action).toBe('open-incident');
  });

  it('attaches to the open incident for the model, firmware and code', () => {
    const d = decide({ fleetBoxes: 8, openIncident: { id: 3 } });
    expect([d.ruleId, d.action, d.targetKind, d.targetId]).toEqual(['incident-attach', 'attach-incident', 'incident', 3]);
  });

  it('still gathers boxes into an open incident after the fleet window', () => {
    expect(decide({ fleetBoxes: 1, openIncident: { id: 3 } }).action).toBe('attach-incident');
  });

  it('needs both model and firmware', () => {
    expect(decide({ fleetBoxes: 9, model: null }).action).toBe('open-case');
    expect(decide({ fleetBoxes: 9, firmware: null }).action).toBe('open-case');
  });

  it('ignores informational faults', () => {
    expect(decide({ fleetBoxes: 9, code: 'NTP_UNSYNCED', severity: 'info' }).action).toBe('record');
  });

  it('takes its threshold from the rules file', () => {
    const strict = parseRules({ ...rulesJson, fleet: { minBoxes: 3, windowMinutes: 30 } });
    expect(triageFault(fault({ fleetBoxes: 3 }), strict, catalog).action).toBe('open-incident');
  });
});

describe('cleared faults', () => {
  const cleared = { state: 'cleared', repeatsInWindow: 0 } as const;

  it('are noted on the open case, which stays open', () => {
    const d = decide({ ...cleared, openCase: { id: 41 }, openTicket: { id: 9 } });
    expect([d.ruleId, d.action, d.targetKind, d.targetId]).toEqual(['cleared-note-case', 'note-cleared', 'case', 41]);
  });

  it('are noted on the open RMA ticket when no case is open', () => {
    const d = decide({ ...cleared, code: 'FLASH_WRITE_FAILED', openTicket: { id: 9 } });
    expect([d.ruleId, d.action, d.targetKind, d.targetId]).toEqual(['cleared-note-ticket', 'note-cleared', 'ticket', 9]);
  });

  it('are only recorded when nothing is open, and never open a case, ticket or incident', () => {
    for (const code of ['PLC_TIMEOUT', 'FLASH_WRITE_FAILED', 'NOT_IN_CATALOG']) {
      const d = decide({ ...cleared, code, fleetBoxes: 20, openIncident: { id: 3 }, repeatsInWindow: 9, closedRemoteCaseInWindow: true });
      expect([d.ruleId, d.action]).toEqual(['cleared-record', 'record']);
    }
  });
});

describe('codes the catalog does not know', () => {
  it('open a remote case so an engineer identifies them', () => {
    const d = decide({ code: 'FAN_STALL', severity: 'warning' });
    expect([d.ruleId, d.action, d.entry]).toEqual(['unknown-code', 'open-case', null]);
    expect(d.reason).toBe(
      'FAN_STALL (warning) from MTB2411000123 is not in catalog 2026.12.0; a remote case is opened so an engineer identifies it.',
    );
  });

  it('join the open case', () => {
    const d = decide({ code: 'FAN_STALL', openCase: { id: 41 } });
    expect([d.ruleId, d.action, d.targetId]).toEqual(['unknown-code-attach-case', 'attach-case', 41]);
  });

  it('still correlate across the fleet', () => {
    expect(decide({ code: 'FAN_STALL', fleetBoxes: 5 }).action).toBe('open-incident');
  });
});

describe('evidence', () => {
  it('is recorded as a suggested warranty exclusion', () => {
    const d = triageEvidence(evidence(), rules, catalog);
    expect([d.kind, d.ruleId, d.action, d.code, d.entry?.code]).toEqual([
      'evidence',
      'evidence-record',
      'record-evidence',
      'SURGE_DETECTED',
      'SURGE_DETECTED',
    ]);
  });

  it('is attached to the open RMA ticket', () => {
    const d = triageEvidence(evidence({ type: 'water', openTicket: { id: 9 } }), rules, catalog);
    expect([d.ruleId, d.action, d.code, d.targetKind, d.targetId]).toEqual([
      'evidence-attach-ticket',
      'attach-evidence',
      'WATER_INGRESS',
      'ticket',
      9,
    ]);
    expect(d.reason).toBe(
      'Water detected inside the enclosure (WATER_INGRESS) on MTB2411000123 is evidence of how the box was treated; attached to RMA ticket #9 as a suggested warranty exclusion.',
    );
  });

  it('reported as a fault code is treated the same, and never becomes a case or incident', () => {
    const d = decide({ code: 'ENCLOSURE_OPENED', severity: 'error', openCase: { id: 41 }, fleetBoxes: 12, repeatsInWindow: 4 });
    expect([d.kind, d.ruleId, d.action]).toEqual(['fault', 'evidence-record', 'record-evidence']);
  });

  it('of a power loss is recorded only: sites switch boxes off', () => {
    const d = triageEvidence(evidence({ type: 'power-loss', openTicket: { id: 9 } }), rules, catalog);
    expect([d.ruleId, d.action, d.code, d.targetId]).toEqual(['evidence-not-in-catalog', 'record', null, null]);
    expect(d.reason).toBe('A power-loss event on MTB2411000123 is not warranty evidence in catalog 2026.12.0; recorded only.');
  });

  it('of every type gets a decision', () => {
    for (const type of EVIDENCE_TYPES) {
      expect(['record', 'record-evidence']).toContain(triageEvidence(evidence({ type }), rules, catalog).action);
    }
  });
});

describe('every decision', () => {
  it('carries the rule id, both data versions, the facts used and the catalog entry', () => {
    const facts = fault({ openCase: { id: 41 } });
    const d = triageFault(facts, rules, catalog);
    expect(d).toMatchObject({ kind: 'fault', ruleId: 'case-attach', rulesVersion: '2026.11.0', catalogVersion: '2026.12.0', code: 'PLC_TIMEOUT' });
    expect(d.facts).toEqual(facts);
    expect(d.facts).not.toBe(facts);
    expect(d.entry?.steps[0]).toMatch(/^Read params group plc: check plc.timeout_ms/);
  });

  it('survives storage as JSON and validates against the decision schema', () => {
    for (const d of [decide(), decide({ state: 'cleared', openTicket: { id: 9 } }), triageEvidence(evidence(), rules, catalog)]) {
      expect(TriageDecision.parse(JSON.parse(JSON.stringify(d)))).toEqual(d);
    }
  });

  it('follows each catalog entry’s remedy, with a reason that leaves no placeholder unfilled', () => {
    const expected = { remote: 'open-case', rma: 'open-rma', evidence: 'record-evidence' } as const;
    for (const entry of catalog.entries) {
      const d = decide({ code: entry.code, severity: entry.severity });
      expect(d.action, entry.code).toBe(entry.severity === 'info' ? 'record' : expected[entry.remedy]);
      expect(d.reason, entry.code).not.toMatch(/[{}]|unknown/);
      expect(d.reason, entry.code).toContain(entry.code);
    }
  });

  it('comes from the first matching rule, so reordering the file changes the outcome', () => {
    const [first, ...rest] = rulesJson.rules;
    const caseFirst = rest.find((r) => r.id === 'case-attach');
    const reordered = parseRules({ ...rulesJson, rules: [first, caseFirst, ...rest.filter((r) => r !== caseFirst)] });
    expect(triageFault(fault({ fleetBoxes: 6, openCase: { id: 41 } }), reordered, catalog).action).toBe('attach-case');
  });
});
