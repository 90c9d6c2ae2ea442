import type { EvidenceType, Severity } from '../../../contract/payloads.ts';
import type { Locale } from '../../../kernel/locale.ts';
import type { CatalogIndex } from './fault-catalog.ts';
import { renderReason } from './fault-triage.ts';
import type { TriageRules } from './triage-rules.ts';

/*
 * A stored triage decision's reason in the reader's language. The English is stored as it was
 * said; another language is said again from the rule's template in that language and the values
 * the decision kept, with the catalog title and the severity and evidence words in that language
 * too. A decision of another rules version, or stored before its values were kept, keeps its
 * English: its template may have changed since.
 */

type Words<K extends string> = Readonly<Record<K, Readonly<Record<Locale, string>>>>;

const SEVERITY_WORDS: Words<Severity> = {
  info: { en: 'info', 'zh-CN': '提示' },
  warning: { en: 'warning', 'zh-CN': '警告' },
  error: { en: 'error', 'zh-CN': '故障' },
  critical: { en: 'critical', 'zh-CN': '严重' },
};

const EVIDENCE_WORDS: Words<EvidenceType> = {
  tamper: { en: 'tamper', 'zh-CN': '开盖' },
  surge: { en: 'surge', 'zh-CN': '浪涌' },
  overtemp: { en: 'overtemp', 'zh-CN': '过温' },
  water: { en: 'water', 'zh-CN': '进水' },
  label: { en: 'label', 'zh-CN': '标签' },
  'power-loss': { en: 'power-loss', 'zh-CN': '断电' },
};

/** A value's word in `locale` when it is one of `words`' keys, else the value as it is. */
function wordOf<K extends string>(words: Words<K>, value: string | number | null | undefined, locale: Locale) {
  return typeof value === 'string' && Object.hasOwn(words, value) ? words[value as K][locale] : (value ?? null);
}

export interface DecisionReason {
  ruleId: string;
  rulesVersion: string;
  reason: string;
  reasonValues: Record<string, string | number | null> | null;
}

/** The decision's reason in `locale`; see above for when it stays in English. */
export function decisionReasonIn(decision: DecisionReason, locale: Locale, rules: TriageRules, catalog: CatalogIndex): string {
  const values = decision.reasonValues;
  if (locale === 'en' || values === null || decision.rulesVersion !== rules.version) return decision.reason;
  const rule = rules.rules.find((r) => r.id === decision.ruleId);
  if (!rule) return decision.reason;
  const title = catalog.entriesIn(locale).find((e) => e.code === values.code)?.title;
  return renderReason(rule.reason[locale], {
    ...values,
    title: title ?? values.title ?? null,
    severity: wordOf(SEVERITY_WORDS, values.severity, locale),
    evidenceType: wordOf(EVIDENCE_WORDS, values.evidenceType, locale),
  });
}
