import { describe, expect, it } from 'vitest';
import { BoolParam, Duration, Instant, intParam } from './time-params.ts';

describe('query parameters', () => {
  it('reads an instant as epoch milliseconds or ISO 8601', () => {
    expect(Instant.parse('1735689600000')).toBe(1735689600000);
    expect(Instant.parse('2025-01-01')).toBe(Date.UTC(2025, 0, 1));
    expect(Instant.parse('2025-01-01T08:30:00Z')).toBe(Date.UTC(2025, 0, 1, 8, 30));
    expect(Instant.parse('2025-01-01T08:30:00.250+02:00')).toBe(Date.UTC(2025, 0, 1, 6, 30, 0, 250));
  });

  it('refuses a time without a zone and a day that does not exist', () => {
    expect(Instant.safeParse('2025-01-01T08:30:00').success).toBe(false);
    expect(Instant.safeParse('2025-02-29').success).toBe(false);
    expect(Instant.safeParse('yesterday').success).toBe(false);
  });

  it('reads durations with a unit or in milliseconds', () => {
    expect(Duration.parse('60s')).toBe(60_000);
    expect(Duration.parse('5m')).toBe(300_000);
    expect(Duration.parse('1h')).toBe(3_600_000);
    expect(Duration.parse('1d')).toBe(86_400_000);
    expect(Duration.parse('250')).toBe(250);
    expect(Duration.safeParse('0s').success).toBe(false);
    expect(Duration.safeParse('5 minutes').success).toBe(false);
  });

  it('reads bounded whole numbers and true/false', () => {
    expect(intParam(1, 10).parse('7')).toBe(7);
    expect(intParam(1, 10).safeParse('11').success).toBe(false);
    expect(intParam(1, 10).safeParse('1.5').success).toBe(false);
    expect(BoolParam.parse('false')).toBe(false);
    expect(BoolParam.safeParse('yes').success).toBe(false);
  });
});
