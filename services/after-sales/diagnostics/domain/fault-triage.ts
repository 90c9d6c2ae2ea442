import { z } from 'zod';
import type { EvidenceType, FaultState, Severity } from '../../../contract/payloads.ts';
import { CatalogEntry, type CatalogIndex } from './fault-catalog.ts';
import { EvidenceFacts, FaultFacts, type OpenRef } from './triage-facts.ts';
import {
  ACTION_TARGET,
  SEVERITY_RANK,
  TargetKind,
  TriageAction,
  type ReasonField,
  type RuleConditions,
  type TriageRule,
  type TriageRules,
} from './triage-rules.ts';

const DecisionBase = z.object({
  /** The fault code; for an event, the code of its catalog entry, or null when the type has none. */
  code: z.string().nullable(),
  action: TriageAction,
  targetKind: TargetKind.nullable(),
  /** Id of the case, ticket or incident the action works on; null for open-* and record actions. */
  targetId: z.number().int().positive().nullable(),
  ruleId: z.string(),
  rulesVersion: z.string(),
  catalogVersion: z.string(),
  /** One sentence for the engineer: why this action, in English (stored as it was said). */
  reason: z.string(),
  /** The values the rule's reason was filled with, so it can be said again in another language (decisionReasonIn). */
  reasonValues: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  entry: CatalogEntry.nullable(),
});

/** A triage decision as stored and served: what to do, why, and the data versions and facts behind it. */
export const TriageDecision = z.discriminatedUnion('kind', [
  DecisionBase.extend({ kind: z.literal('fault'), facts: FaultFacts }),
  DecisionBase.extend({ kind: z.literal('evidence'), facts: EvidenceFacts }),
]);
export type TriageDecision = z.infer<typeof TriageDecision>;

/** Fault and evidence facts seen the same way by the rule conditions. */
interface Subject {
  kind: 'fault' | 'evidence';
  code: string | null;
  entry: CatalogEntry | null;
  evidenceType: EvidenceType | null;
  serial: string;
  model: string | null;
  firmware: string | null;
  severity: Severity;
  state: FaultState;
  refs: Record<TargetKind, OpenRef>;
  repeats: number;
  closedRemoteCaseInWindow: boolean;
  fleetBoxes: number;
}

type Check<K extends keyof RuleConditions> = (want: NonNullable<RuleConditions[K]>, s: Subject, rules: TriageRules) => boolean;

// One check per condition name; a rule is the conjunction of the checks it names.
const CHECKS: { [K in keyof RuleConditions]-?: Check<K> } = {
  kind: (want, s) => s.kind === want,
  state: (want, s) => s.state === want,
  unknownCode: (want, s) => (s.entry === null) === want,
  remedy: (want, s) => s.entry?.remedy === want,
  severityAtLeast: (want, s) => SEVERITY_RANK[s.severity] >= SEVERITY_RANK[want],
  severityAtMost: (want, s) => SEVERITY_RANK[s.severity] <= SEVERITY_RANK[want],
  hasOpenCase: (want, s) => (s.refs.case !== null) === want,
  hasOpenTicket: (want, s) => (s.refs.ticket !== null) === want,
  hasOpenIncident: (want, s) => (s.refs.incident !== null) === want,
  // An incident is per model and firmware; without both the boxes cannot be grouped.
  fleetCorrelated: (want, s, rules) => (s.model !== null && s.firmware !== null && s.fleetBoxes >= rules.fleet.minBoxes) === want,
  repeatsAtLeast: (want, s) => s.repeats >= want,
  closedRemoteCaseInWindow: (want, s) => s.closedRemoteCaseInWindow === want,
};

function matches(when: RuleConditions, s: Subject, rules: TriageRules): boolean {
  return (Object.keys(when) as Array<keyof RuleConditions>).every((name) => {
    const want = when[name];
    const check = CHECKS[name] as (want: unknown, s: Subject, rules: TriageRules) => boolean;
    return want === undefined || check(want, s, rules);
  });
}

function firstMatch(s: Subject, rules: TriageRules): TriageRule {
  const rule = rules.rules.find((r) => matches(r.when, s, rules));
  // parseRules makes the last rule a catch-all, so only hand-built rules get here.
  if (!rule) throw new Error(`triage rules ${rules.version} have no rule for ${s.code ?? s.evidenceType}; end them with a catch-all`);
  return rule;
}

type ReasonValues = Partial<Record<ReasonField, string | number | null>>;

/** A reason template with its placeholders filled; a value not known reads `unknown`. */
export function renderReason(template: string, values: ReasonValues): string {
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => String(values[name as ReasonField] ?? 'unknown'));
}

function reasonValues(s: Subject, rules: TriageRules, catalog: CatalogIndex): Record<ReasonField, string | number | null> {
  return {
    code: s.code,
    title: s.entry?.title ?? null,
    serial: s.serial,
    severity: s.severity,
    remedy: s.entry?.remedy ?? null,
    model: s.model,
    firmware: s.firmware,
    evidenceType: s.evidenceType,
    repeats: s.repeats,
    repeatWindowHours: rules.repeat.windowHours,
    fleetBoxes: s.fleetBoxes,
    fleetMinBoxes: rules.fleet.minBoxes,
    fleetWindowMinutes: rules.fleet.windowMinutes,
    caseId: s.refs.case?.id ?? null,
    ticketId: s.refs.ticket?.id ?? null,
    incidentId: s.refs.incident?.id ?? null,
    catalogVersion: catalog.version,
    rulesVersion: rules.version,
  };
}

function decide(s: Subject, rules: TriageRules, catalog: CatalogIndex) {
  const rule = firstMatch(s, rules);
  const values = reasonValues(s, rules, catalog);
  const fixed = ACTION_TARGET[rule.action];
  const targetKind = fixed === 'named-by-rule' ? (rule.target ?? null) : fixed;
  return {
    code: s.code,
    action: rule.action,
    targetKind,
    targetId: targetKind ? (s.refs[targetKind]?.id ?? null) : null,
    ruleId: rule.id,
    rulesVersion: rules.version,
    catalogVersion: catalog.version,
    reason: renderReason(rule.reason.en, values),
    reasonValues: values,
    entry: s.entry,
  };
}

/** Decides what one fault message leads to: the first rule whose conditions all hold. */
export function triageFault(facts: FaultFacts, rules: TriageRules, catalog: CatalogIndex): TriageDecision {
  const entry = catalog.byCode(facts.code);
  const subject: Subject = {
    kind: 'fault',
    code: facts.code,
    entry,
    evidenceType: entry?.evidenceType ?? null,
    serial: facts.serial,
    model: facts.model,
    firmware: facts.firmware,
    severity: facts.severity,
    state: facts.state,
    refs: { case: facts.openCase, ticket: facts.openTicket, incident: facts.openIncident },
    repeats: facts.repeatsInWindow,
    closedRemoteCaseInWindow: facts.closedRemoteCaseInWindow,
    fleetBoxes: facts.fleetBoxes,
  };
  return { kind: 'fault', facts: structuredClone(facts), ...decide(subject, rules, catalog) };
}

/**
 * Decides what an evidence event leads to, through the catalog entry its type maps to.
 * Evidence never repeats into cases nor correlates into incidents, so those facts are nil.
 */
export function triageEvidence(facts: EvidenceFacts, rules: TriageRules, catalog: CatalogIndex): TriageDecision {
  const entry = catalog.byEvidenceType(facts.type);
  const subject: Subject = {
    kind: 'evidence',
    code: entry?.code ?? null,
    entry,
    evidenceType: facts.type,
    serial: facts.serial,
    model: facts.model,
    firmware: facts.firmware,
    // An event carries no severity; a type outside the catalog is taken as informational.
    severity: entry?.severity ?? 'info',
    state: 'raised',
    refs: { case: null, ticket: facts.openTicket, incident: null },
    repeats: 1,
    closedRemoteCaseInWindow: false,
    fleetBoxes: 0,
  };
  return { kind: 'evidence', facts: structuredClone(facts), ...decide(subject, rules, catalog) };
}
