import { describe, expect, it } from 'vitest';
import { LogRing } from './log-ring.ts';

const T0 = Date.UTC(2026, 10, 2, 6, 0, 0);

describe('box log ring', () => {
  it('keeps the newest lines once full, oldest overwritten first, and returns them newest last', () => {
    const log = new LogRing(3);
    for (let i = 1; i <= 5; i++) log.write(T0 + i * 1000, 'info', 'test', `line ${i}`);
    expect(log.size).toBe(3);
    expect(log.tail(10)).toEqual([
      '2026-11-02T06:00:03.000Z info  test: line 3',
      '2026-11-02T06:00:04.000Z info  test: line 4',
      '2026-11-02T06:00:05.000Z info  test: line 5',
    ]);
    expect(log.tail(1)).toEqual(['2026-11-02T06:00:05.000Z info  test: line 5']);
  });

  it('clips a very long line so a full log.fetch stays far below the part limit', () => {
    const log = new LogRing();
    log.write(T0, 'error', 'fault', 'x'.repeat(5000));
    const [line] = log.tail(1);
    expect(line).toHaveLength(240);
    expect(line?.endsWith('…')).toBe(true);
  });
});
