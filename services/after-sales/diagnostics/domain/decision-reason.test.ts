import { describe, expect, it } from 'vitest';
import { loadShippedCatalog, loadShippedRules } from '../catalog/load-catalog.ts';
import { decisionReasonIn } from './decision-reason.ts';
import { parseRules } from './triage-rules.ts';

const rules = loadShippedRules();
const catalog = loadShippedCatalog();
const HAN = /\p{Script=Han}/u;

describe('triage reasons in both languages', () => {
  it('gives every shipped rule its reason in English and in Chinese', () => {
    for (const rule of rules.rules) {
      expect(rule.reason.en, rule.id).not.toMatch(HAN);
      expect(rule.reason['zh-CN'], rule.id).toMatch(HAN);
    }
  });

  it('says a stored decision again in Chinese, with the catalog title and severity in Chinese', () => {
    const decision = {
      ruleId: 'rma-open-ticket',
      rulesVersion: rules.version,
      reason: 'stored English',
      reasonValues: { code: 'WATCHDOG_RESET', title: 'Box restarted by its watchdog', serial: 'MTB0000000001', severity: 'critical' },
    };
    expect(decisionReasonIn(decision, 'zh-CN', rules, catalog)).toBe(
      'MTB0000000001 上报的网关被看门狗复位重启（WATCHDOG_RESET，严重）需要硬件维修或更换；已开 RMA 工单。',
    );
    expect(decisionReasonIn(decision, 'en', rules, catalog)).toBe('stored English');
  });

  it('keeps the English of a decision stored before its values were kept, or under other rules', () => {
    const old = { ruleId: 'rma-open-ticket', rulesVersion: rules.version, reason: 'stored English', reasonValues: null };
    expect(decisionReasonIn(old, 'zh-CN', rules, catalog)).toBe('stored English');
    expect(decisionReasonIn({ ...old, rulesVersion: '2000.1.0', reasonValues: {} }, 'zh-CN', rules, catalog)).toBe('stored English');
  });

  it('refuses a rule whose languages name different placeholders', () => {
    const shipped = loadShippedRules();
    const [first] = shipped.rules;
    const broken = { ...shipped, rules: [{ ...first, reason: { en: '{code} on {serial}', 'zh-CN': '{code}' } }, ...shipped.rules.slice(1)] };
    expect(() => parseRules(broken)).toThrow(/the English and the Chinese reason must use the same placeholders/);
  });
});
