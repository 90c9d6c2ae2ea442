import { describe, expect, it } from 'vitest';
import { WARRANTY_MONTHS, warrantyEnd } from './warranty-period.ts';

describe('the 12-month warranty period', () => {
  it('is twelve months', () => {
    expect(WARRANTY_MONTHS).toBe(12);
  });

  it('covers up to the day before the anniversary', () => {
    expect(warrantyEnd('2025-03-10')).toBe('2026-03-09');
    expect(warrantyEnd('2025-01-01')).toBe('2025-12-31');
    expect(warrantyEnd('2025-12-31')).toBe('2026-12-30');
  });

  it('ends on 28 February for a 29 February start, which has no anniversary', () => {
    expect(warrantyEnd('2024-02-29')).toBe('2025-02-28');
  });

  it('runs 366 days when the year spans 29 February 2028', () => {
    expect(warrantyEnd('2027-03-01')).toBe('2028-02-29');
    expect(warrantyEnd('2027-06-15')).toBe('2028-06-14');
    expect(warrantyEnd('2028-02-28')).toBe('2029-02-27');
  });
});
