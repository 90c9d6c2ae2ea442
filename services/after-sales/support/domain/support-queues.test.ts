import { describe, expect, it } from 'vitest';
import { BUSINESS_LINES } from '../../../kernel/business-line.ts';
import { queueFor, SUPPORT_QUEUES } from './support-queues.ts';

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
