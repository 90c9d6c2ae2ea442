import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './open-redis.ts';

describe('reconnecting to Redis', () => {
  it('waits longer after each failed attempt, never more than two seconds, and never gives up', () => {
    const delays = Array.from({ length: 40 }, (_, i) => reconnectDelay(i + 1));
    expect(delays.slice(0, 4)).toEqual([100, 200, 400, 800]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(Math.max(...delays)).toBe(2000);
    expect(delays.every((d) => typeof d === 'number')).toBe(true);
  });
});
