import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longFunctionsIn, longFunctionsUnder } from './helpers/long-functions.ts';

/*
 * Style: "No function over ~120 lines in services/". A function that long does several things;
 * split it into small modules named after what each does. Test files are left out: a describe
 * block holding many cases is long by nature.
 */
const LIMIT = 120;
const ROOT = path.resolve(import.meta.dirname, '..');
const SCANNED = ['services', 'broker'];

/**
 * Functions still over the limit, each being split in its own change. An entry must still be
 * over the limit: once it is split, remove it here, so the list only ever shrinks.
 */
const NOT_YET_SPLIT: string[] = [];

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('function length check', () => {
  it('finds a function declaration, an arrow function and a method over the limit, and names them', () => {
    const text = [
      `export function declared() {\n${body(LIMIT - 1)}\n}`,
      `const arrow = () => {\n${body(LIMIT - 1)}\n};`,
      `class Box {\n  method() {\n${body(LIMIT - 1)}\n  }\n}`,
      `export const service = {\n  shorthand() {\n${body(LIMIT - 1)}\n  },\n};`,
    ].join('\n');
    expect(longFunctionsIn(text, 'sample.ts', LIMIT).map((f) => [f.name, f.lines])).toEqual([
      ['declared', LIMIT + 1],
      ['arrow', LIMIT + 1],
      ['method', LIMIT + 1],
      ['shorthand', LIMIT + 1],
    ]);
  });

  it('lets a function of exactly the limit pass, and finds a long nested function as well as the one holding it', () => {
    const text = `function atLimit() {\n${body(LIMIT - 2)}\n}\nfunction outer() {\n  return function inner() {\n${body(LIMIT)}\n  };\n}`;
    expect(longFunctionsIn(text, 'sample.ts', LIMIT).map((f) => f.name)).toEqual(['outer', 'inner']);
  });
});

describe(`no function over ${LIMIT} lines in ${SCANNED.join('/ and ')}/`, () => {
  const long = longFunctionsUnder(ROOT, SCANNED, LIMIT);

  it('has none beyond those still being split', () => {
    const offenders = long
      .filter((f) => !NOT_YET_SPLIT.includes(`${f.file} ${f.name}`))
      .map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(offenders).toEqual([]);
  });

  it('lists as not yet split only functions that still are over the limit', () => {
    const stillLong = new Set(long.map((f) => `${f.file} ${f.name}`));
    expect(NOT_YET_SPLIT.filter((entry) => !stillLong.has(entry))).toEqual([]);
  });
});
