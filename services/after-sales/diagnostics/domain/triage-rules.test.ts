import { describe, expect, it } from 'vitest';
import shipped from '../catalog/triage-rules.json' with { type: 'json' };
import { DiagnosticsDataError } from './errors.ts';
import { factWindows, parseRules } from './triage-rules.ts';

const catchAll = { id: 'record-otherwise', description: 'Everything else.', when: {}, action: 'record', reason: 'Recorded {code}.' };

function file(...rules: unknown[]) {
  return { version: '2026.11.0', fleet: { minBoxes: 5, windowMinutes: 60 }, repeat: { windowHours: 24 }, rules: [...rules, catchAll] };
}

function problemsOf(json: unknown): readonly string[] {
  try {
    parseRules(json);
  } catch (err) {
    if (err instanceof DiagnosticsDataError) return err.problems;
    throw err;
  }
  throw new Error('expected the rules to be refused');
}

describe('triage rules file validation', () => {
  it('accepts the shipped rules', () => {
    expect(parseRules(shipped).rules.at(-1)?.id).toBe('record-otherwise');
  });

  it('names a misspelt condition instead of ignoring it', () => {
    const rule = { id: 'case-attach', description: 'x', when: { remedy: 'remote', hasOpenCse: true }, action: 'record', reason: 'r' };
    expect(problemsOf(file(rule))).toEqual(['rules.0.when: Unrecognized key: "hasOpenCse"']);
  });

  it('refuses an attach that could match a box with nothing open', () => {
    const rule = { id: 'case-attach', description: 'x', when: { remedy: 'remote' }, action: 'attach-case', reason: 'r' };
    expect(problemsOf(file(rule))).toEqual(['rules.0.when: case-attach: attach-case on a case needs "hasOpenCase": true']);
  });

  it('needs note-cleared to name a case or ticket and to match only cleared faults', () => {
    const rule = { id: 'cleared-note', description: 'x', when: { hasOpenCase: true }, action: 'note-cleared', reason: 'r' };
    expect(problemsOf(file(rule))).toEqual([
      'rules.0.target: cleared-note: note-cleared needs target "case" or "ticket"',
      'rules.0.when: cleared-note: note-cleared needs "state": "cleared"',
    ]);
  });

  it('refuses a target on actions whose target is fixed', () => {
    const rule = { id: 'rma', description: 'x', when: { remedy: 'rma' }, action: 'open-rma', target: 'ticket', reason: 'r' };
    expect(problemsOf(file(rule))).toEqual(['rules.0.target: rma: open-rma decides its own target; remove "target"']);
  });

  it('refuses reason placeholders it cannot fill', () => {
    const rule = { id: 'remote', description: 'x', when: { remedy: 'remote' }, action: 'open-case', reason: '{code} on {box}' };
    const [problem] = problemsOf(file(rule));
    expect(problem).toMatch(/^rules\.0\.reason: remote: unknown placeholder \{box\}; use one of code, title, serial/);
  });

  it('refuses conditions that can never hold together', () => {
    const rule = {
      id: 'never',
      description: 'x',
      when: { unknownCode: true, remedy: 'rma', severityAtLeast: 'error', severityAtMost: 'warning' },
      action: 'record',
      reason: 'r',
    };
    expect(problemsOf(file(rule))).toEqual([
      'rules.0.when: never: an unknown code has no remedy; "unknownCode": true and "remedy" never match together',
      'rules.0.when: never: severityAtLeast error is above severityAtMost warning; the rule never matches',
    ]);
  });

  it('refuses duplicate rule ids', () => {
    const rule = { id: 'record-otherwise', description: 'x', when: { remedy: 'rma' }, action: 'open-rma', reason: 'r' };
    expect(problemsOf(file(rule))).toEqual(['rules.1.id: duplicate rule id record-otherwise']);
  });

  it('must end on a catch-all, and only there, so every fault gets exactly one reachable decision', () => {
    const early = { ...catchAll, id: 'early' };
    expect(problemsOf(file(early))).toEqual(['rules.0.when: early matches everything; rules after it are unreachable']);
    const json = { ...file(), rules: [{ id: 'rma', description: 'x', when: { remedy: 'rma' }, action: 'open-rma', reason: 'r' }] };
    expect(problemsOf(json)).toEqual(['rules.0.when: the last rule (rma) must have an empty "when" so every fault gets a decision']);
  });

  it('throws RULES_INVALID with a message listing each problem by path', () => {
    const broken = { ...file(), fleet: { minBoxes: 1, windowMinutes: 60 } };
    expect(() => parseRules(broken)).toThrow(DiagnosticsDataError);
    expect(() => parseRules(broken)).toThrow(/^triage rules file is invalid:\n {2}- fleet\.minBoxes: Too small/);
    expect(problemsOf('not an object')).toEqual(['(root): Invalid input: expected object, received string']);
  });
});

describe('fact windows', () => {
  it('turns the rules file windows into the milliseconds the adapter queries', () => {
    const rules = parseRules({ ...file(), fleet: { minBoxes: 3, windowMinutes: 15 }, repeat: { windowHours: 48 } });
    expect(factWindows(rules)).toEqual({ repeatWindowMs: 172_800_000, fleetWindowMs: 900_000 });
  });
});
