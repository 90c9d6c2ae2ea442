import { z } from 'zod';
import { FaultState, Severity } from '../../../contract/payloads.ts';
import { DiagnosticsDataError, describeIssues } from './errors.ts';
import { DataVersion, Remedy } from './fault-catalog.ts';

export const TRIAGE_ACTIONS = [
  'open-case',
  'attach-case',
  'open-rma',
  'attach-rma',
  'open-incident',
  'attach-incident',
  'note-cleared',
  'record',
  'record-evidence',
  'attach-evidence',
] as const;
export const TriageAction = z.enum(TRIAGE_ACTIONS);
export type TriageAction = z.infer<typeof TriageAction>;

export const TARGET_KINDS = ['case', 'ticket', 'incident'] as const;
export const TargetKind = z.enum(TARGET_KINDS);
export type TargetKind = z.infer<typeof TargetKind>;

/**
 * What each action works on. `note-cleared` can land on a case or a ticket, so its rule
 * names the target; every other action's target follows from the action.
 */
export const ACTION_TARGET: Readonly<Record<TriageAction, TargetKind | 'named-by-rule' | null>> = {
  'open-case': null,
  'attach-case': 'case',
  'open-rma': null,
  'attach-rma': 'ticket',
  'open-incident': null,
  'attach-incident': 'incident',
  'note-cleared': 'named-by-rule',
  record: null,
  'record-evidence': null,
  'attach-evidence': 'ticket',
};

/** The condition that guarantees a target exists when a rule acting on it matches. */
export const OPEN_CONDITION = {
  case: 'hasOpenCase',
  ticket: 'hasOpenTicket',
  incident: 'hasOpenIncident',
} as const satisfies Record<TargetKind, string>;

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2, critical: 3 };

/**
 * Declarative conditions; a rule matches when every condition it states holds. Severity
 * conditions compare the severity the box reported.
 */
export const RuleConditions = z
  .object({
    /** `evidence` for evidence events; a fault message whose code is an evidence entry is still a `fault`. */
    kind: z.enum(['fault', 'evidence']).optional(),
    state: FaultState.optional(),
    /** The code (or evidence type) has no entry in the catalog. */
    unknownCode: z.boolean().optional(),
    remedy: Remedy.optional(),
    severityAtLeast: Severity.optional(),
    severityAtMost: Severity.optional(),
    hasOpenCase: z.boolean().optional(),
    hasOpenTicket: z.boolean().optional(),
    hasOpenIncident: z.boolean().optional(),
    /**
     * Model and firmware are known and at least `fleet.minBoxes` boxes of them raised this
     * code within the fleet window. The threshold lives once, in `fleet`.
     */
    fleetCorrelated: z.boolean().optional(),
    repeatsAtLeast: z.number().int().min(1).optional(),
    closedRemoteCaseInWindow: z.boolean().optional(),
  })
  .strict();
export type RuleConditions = z.infer<typeof RuleConditions>;

/** Names a rule's reason template may use, each filled from the facts, e.g. `{code} on {serial}`. */
export const REASON_FIELDS = [
  'code',
  'title',
  'serial',
  'severity',
  'remedy',
  'model',
  'firmware',
  'evidenceType',
  'repeats',
  'repeatWindowHours',
  'fleetBoxes',
  'fleetMinBoxes',
  'fleetWindowMinutes',
  'caseId',
  'ticketId',
  'incidentId',
  'catalogVersion',
  'rulesVersion',
] as const;
export type ReasonField = (typeof REASON_FIELDS)[number];
const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * A rule's reason in both languages side by side; a plain string (a rule written by hand, e.g.
 * in a test) serves both.
 */
export const ReasonTemplate = z.union([
  z
    .string()
    .trim()
    .min(1)
    .transform((en) => ({ en, 'zh-CN': en })),
  z.object({ en: z.string().trim().min(1), 'zh-CN': z.string().trim().min(1) }).strict(),
]);
export type ReasonTemplate = z.output<typeof ReasonTemplate>;

const placeholdersOf = (template: string) => [...template.matchAll(PLACEHOLDER)].map(([, name]) => name ?? '');

export const TriageRule = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'rule ids are kebab-case'),
    description: z.string().trim().min(1),
    when: RuleConditions,
    action: TriageAction,
    target: TargetKind.optional(),
    reason: ReasonTemplate,
  })
  .strict()
  .superRefine((rule, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message: `${rule.id}: ${message}` });
    const fixed = ACTION_TARGET[rule.action];
    if (fixed === 'named-by-rule' && (rule.target === undefined || rule.target === 'incident')) {
      issue('target', `${rule.action} needs target "case" or "ticket"`);
    }
    if (fixed !== 'named-by-rule' && rule.target !== undefined) {
      issue('target', `${rule.action} decides its own target; remove "target"`);
    }
    const target = fixed === 'named-by-rule' ? rule.target : fixed;
    // Without this an attach could match a box that has nothing open and carry no id.
    if (target && rule.when[OPEN_CONDITION[target]] !== true) {
      issue('when', `${rule.action} on a ${target} needs "${OPEN_CONDITION[target]}": true`);
    }
    if (rule.action === 'note-cleared' && rule.when.state !== 'cleared') {
      issue('when', 'note-cleared needs "state": "cleared"');
    }
    if (rule.when.unknownCode === true && rule.when.remedy !== undefined) {
      issue('when', 'an unknown code has no remedy; "unknownCode": true and "remedy" never match together');
    }
    const { severityAtLeast: low, severityAtMost: high } = rule.when;
    if (low && high && SEVERITY_RANK[low] > SEVERITY_RANK[high]) {
      issue('when', `severityAtLeast ${low} is above severityAtMost ${high}; the rule never matches`);
    }
    const [en, zh] = [placeholdersOf(rule.reason.en), placeholdersOf(rule.reason['zh-CN'])];
    if ([...new Set(en)].sort().join() !== [...new Set(zh)].sort().join())
      issue('reason', 'the English and the Chinese reason must use the same placeholders');
    for (const name of en) {
      if (!(REASON_FIELDS as readonly string[]).includes(name)) {
        issue('reason', `unknown placeholder {${name}}; use one of ${REASON_FIELDS.join(', ')}`);
      }
    }
  });
export type TriageRule = z.infer<typeof TriageRule>;

export const TriageRules = z
  .object({
    version: DataVersion,
    fleet: z.object({ minBoxes: z.number().int().min(2), windowMinutes: z.number().int().positive() }).strict(),
    repeat: z.object({ windowHours: z.number().int().positive() }).strict(),
    rules: z.array(TriageRule).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.rules.forEach((rule, i) => {
      if (ids.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id ${rule.id}` });
      ids.add(rule.id);
      const last = i === file.rules.length - 1;
      const catchAll = Object.keys(rule.when).length === 0;
      // First match wins, so a catch-all anywhere but last hides the rules after it.
      if (catchAll && !last) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'when'], message: `${rule.id} matches everything; rules after it are unreachable` });
      }
      // Ending on a catch-all makes triage total: every fault gets a decision.
      if (!catchAll && last) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'when'],
          message: `the last rule (${rule.id}) must have an empty "when" so every fault gets a decision`,
        });
      }
    });
  });
export type TriageRules = z.infer<typeof TriageRules>;

/** Validates a triage rules file (parsed JSON); throws RULES_INVALID listing every problem. */
export function parseRules(json: unknown): TriageRules {
  const result = TriageRules.safeParse(json);
  if (!result.success) {
    throw new DiagnosticsDataError('RULES_INVALID', describeIssues(result.error.issues), 'triage rules file');
  }
  return result.data;
}

export interface FactWindows {
  /** How far back to count raises of a code on one box (`repeatsInWindow`, `closedRemoteCaseInWindow`). */
  repeatWindowMs: number;
  /** How far back to count boxes of one model and firmware raising a code (`fleetBoxes`). */
  fleetWindowMs: number;
}

/** The look-back windows the adapter queries to build FaultFacts. */
export function factWindows(rules: TriageRules): FactWindows {
  return {
    repeatWindowMs: rules.repeat.windowHours * 3_600_000,
    fleetWindowMs: rules.fleet.windowMinutes * 60_000,
  };
}
