import { describe, expect, it } from 'vitest';
import { failureAction, retryDelayMs } from './forward-policy.ts';

describe('what the forwarder does with a batch InfluxDB did not take', () => {
  it('retries the same batch after network errors, 5xx, 429 and configuration errors', () => {
    for (const status of [undefined, 401, 403, 404, 429, 500, 502, 503, 504]) expect(failureAction(status)).toBe('retry');
  });

  it('halves a batch the server found too large, and sets aside only what the server calls invalid', () => {
    expect(failureAction(413)).toBe('shrink');
    expect(failureAction(400)).toBe('set-aside');
    expect(failureAction(422)).toBe('set-aside');
  });

  it('backs off 1, 2, 4 … s up to 30 s, honouring a longer Retry-After up to the same ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n, undefined))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(retryDelayMs(1, 10_000)).toBe(10_000);
    expect(retryDelayMs(1, 3_600_000)).toBe(30_000);
    expect(retryDelayMs(3, 10, { minDelayMs: 10, maxDelayMs: 100 })).toBe(40);
  });
});
