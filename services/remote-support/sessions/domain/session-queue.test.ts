import { describe, expect, it } from 'vitest';
import { queuePositions } from './session-queue.ts';

const T = Date.UTC(2026, 10, 21, 14, 0);

describe('queue positions', () => {
  it('serves each support queue first come, first served, on its own', () => {
    const positions = queuePositions([
      { id: 4, queue: 'industry', requestedAt: T + 300 },
      { id: 2, queue: 'logistics', requestedAt: T + 100 },
      { id: 1, queue: 'industry', requestedAt: T },
      { id: 3, queue: 'industry', requestedAt: T + 200 },
      { id: 5, queue: 'logistics', requestedAt: T + 400 },
    ]);
    expect(Object.fromEntries(positions)).toEqual({ 1: 1, 3: 2, 4: 3, 2: 1, 5: 2 });
  });

  it('orders requests of the same millisecond by id', () => {
    const positions = queuePositions([
      { id: 9, queue: 'general', requestedAt: T },
      { id: 8, queue: 'general', requestedAt: T },
    ]);
    expect([positions.get(8), positions.get(9)]).toEqual([1, 2]);
  });

  it('gives nobody a place in an empty queue', () => {
    expect(queuePositions([]).size).toBe(0);
  });
});
