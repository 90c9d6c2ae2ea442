import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { findUnsafeText, MAX_UNSAFE_TEXT_FINDINGS, refuseUnsafeText, textProblem } from './unsafe-text.ts';

describe('textProblem', () => {
  it('accepts ordinary text, including emoji written as a surrogate pair and U+FFFD', () => {
    expect(textProblem('Acme 株式会社 😀 \uFFFD')).toBeNull();
  });

  it('refuses U+0000 anywhere in the text', () => {
    expect(textProblem('a\u0000b')).toMatch(/U\+0000/);
  });

  it('refuses a high or low surrogate that is not part of a pair', () => {
    expect(textProblem('a\uD83D')).toMatch(/lone surrogate/);
    expect(textProblem('\uDE00a')).toMatch(/lone surrogate/);
    expect(textProblem('\uDE00\uD83D')).toMatch(/lone surrogate/);
  });
});

describe('findUnsafeText', () => {
  it('names the path of every bad string and object key in nested objects and arrays', () => {
    const found = findUnsafeText({ a: ['ok', 'x\u0000'], b: { 'k\uD800': 1 }, c: 5, d: null });
    expect(found.map((f) => f.path).sort()).toEqual([
      ['a', 1],
      ['b', 'k\uD800'],
    ]);
  });

  it('walks a value nested far deeper than the call stack, reporting a shortened path', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const found = findUnsafeText(deep);
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toEqual([...Array.from({ length: 32 }, () => 0), '…']);
  });

  it('reports at most a bounded number of findings', () => {
    expect(findUnsafeText(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(MAX_UNSAFE_TEXT_FINDINGS);
  });
});

describe('refuseUnsafeText', () => {
  it('adds an issue at the path of the bad text and keeps good values', () => {
    const schema = refuseUnsafeText(z.object({ text: z.string(), args: z.record(z.string(), z.unknown()) }));
    expect(schema.parse({ text: 'hi', args: { x: ['y'] } })).toEqual({ text: 'hi', args: { x: ['y'] } });
    const result = schema.safeParse({ text: 'hi', args: { x: ['y\u0000'] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['args', 'x', 0]]);
  });
});
