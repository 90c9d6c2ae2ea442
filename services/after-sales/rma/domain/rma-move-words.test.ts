import { describe, expect, it } from 'vitest';
import { MOVE_SUMMARIES_ZH, moveSummaryIn } from './rma-move-words.ts';
import { RMA_TRANSITIONS } from './rma-transition-table.ts';

describe('move summaries in both languages', () => {
  it('has a Chinese summary for every edge of the process, and no other', () => {
    const edges = RMA_TRANSITIONS.map((e) => `${e.from}>${e.to}`);
    expect(Object.keys(MOVE_SUMMARIES_ZH).sort()).toEqual([...new Set(edges)].sort());
    for (const e of RMA_TRANSITIONS) {
      expect(moveSummaryIn(e.from, e.to, e.summary, 'zh-CN')).toMatch(/^[\p{Script=Han}\p{P} 0-9]+$/u);
      expect(moveSummaryIn(e.from, e.to, e.summary, 'en')).toBe(e.summary);
    }
  });
});
