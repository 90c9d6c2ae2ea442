import { describe, expect, it } from 'vitest';
import { BoundedJsonObject, isTooDeep, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-limits.ts';

function nest(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { a: v } : [v];
  return v;
}

describe('JSON depth limits', () => {
  it('counts objects and arrays as levels and scalars as none', () => {
    expect(jsonDepthExceeds(1, 0)).toBe(false);
    expect(jsonDepthExceeds({}, 0)).toBe(true);
    expect(jsonDepthExceeds({ a: [1] }, 2)).toBe(false);
    expect(jsonDepthExceeds({ a: [1, { b: 2 }] }, 2)).toBe(true);
  });

  it('finds the one deep branch among shallow siblings', () => {
    expect(jsonDepthExceeds({ x: 1, y: [2, 3], z: { w: nest(MAX_JSON_DEPTH) } })).toBe(true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(jsonDepthExceeds(nest(100_000))).toBe(true);
  });

  it('refuses a too-deep object with an issue marked as the depth bound', () => {
    const r = BoundedJsonObject.safeParse({ a: nest(MAX_JSON_DEPTH) });
    expect(r.success).toBe(false);
    if (!r.success) expect(isTooDeep(r.error.issues)).toBe(true);
    expect(BoundedJsonObject.safeParse({ a: nest(MAX_JSON_DEPTH - 1) }).success).toBe(true);
  });
});
