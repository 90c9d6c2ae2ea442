import { describe, expect, it } from 'vitest';
import { BUSINESS_LINES } from '../../../kernel/business-line.ts';
import { queueFor, queueName, SUPPORT_QUEUES, supportQueuesIn } from './support-queues.ts';

describe('support queue routing', () => {
  it('sends smart factory, smart city and smart environmental protection to the shared line', () => {
    expect(queueFor('smart-factory')).toBe('industry');
    expect(queueFor('smart-city')).toBe('industry');
    expect(queueFor('smart-environmental-protection')).toBe('industry');
  });

  it('sends smart logistics to its own line', () => {
    expect(queueFor('smart-logistics')).toBe('logistics');
  });

  it('sends a customer without a recorded business line to general after-sales', () => {
    expect(queueFor(null)).toBe('general');
    expect(queueFor(undefined)).toBe('general');
  });

  it('serves every business line from exactly one queue', () => {
    for (const line of BUSINESS_LINES) {
      expect(SUPPORT_QUEUES.filter((q) => (q.businessLines as readonly string[]).includes(line))).toHaveLength(1);
    }
  });
});

describe('hotline names in both languages', () => {
  it('names every queue in every language, the English as the seed says it', () => {
    for (const q of SUPPORT_QUEUES) {
      expect(queueName(q.id, 'en')).toBe(q.title);
      expect(queueName(q.id, 'zh-CN')).toMatch(/^[\p{Script=Han} /]+$/u);
    }
    expect(queueName('logistics', 'zh-CN')).toBe('智慧物流');
    expect(supportQueuesIn('zh-CN').map((q) => q.name)).toEqual(['智慧工厂 / 智慧城市 / 智慧环保', '智慧物流', '综合售后']);
  });
});
