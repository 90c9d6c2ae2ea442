import type { z } from 'zod';

/*
 * The one rule for text that people send in (HTTP bodies, queries and path parameters, CSV
 * cells, socket.io payloads): U+0000 and lone surrogates are refused, never cleaned. NUL ends
 * strings in C code, log viewers and SQLite's text functions, and a lone surrogate is not
 * Unicode text at all: it cannot be written as UTF-8, so it would come back as U+FFFD from
 * the database or a JSON encoder and no longer match what was stored. Invalid UTF-8 bytes are
 * refused before they are decoded (mount-routes.ts), since decoding hides them as U+FFFD.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is refused, or null when it is acceptable text. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which is not allowed in text';
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate, which is not valid Unicode text';
  return null;
}

export interface UnsafeText {
  path: Array<string | number>;
  message: string;
}

/** Most findings reported for one value: a body full of NULs still gets a short answer. */
export const MAX_UNSAFE_TEXT_FINDINGS = 20;
/** Longest path reported; deeper ones end in `…`. */
const MAX_PATH_SEGMENTS = 32;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// Paths are kept as links to the parent, so walking a deep value costs its size, not its size × depth.
interface Step {
  value: unknown;
  key: string | number | null;
  parent: Step | null;
}

function pathOf(step: Step): Array<string | number> {
  const path: Array<string | number> = [];
  for (let s: Step | null = step; s && s.key !== null; s = s.parent) path.push(s.key);
  path.reverse();
  return path.length > MAX_PATH_SEGMENTS ? [...path.slice(0, MAX_PATH_SEGMENTS), '…'] : path;
}

/**
 * Every string, and every object key, in a parsed JSON-like value that breaks the text rule
 * (at most MAX_UNSAFE_TEXT_FINDINGS). Walks with its own stack, so a value nested deeper
 * than the call stack cannot crash it.
 */
export function findUnsafeText(value: unknown): UnsafeText[] {
  const found: UnsafeText[] = [];
  const stack: Step[] = [{ value, key: null, parent: null }];
  while (stack.length > 0 && found.length < MAX_UNSAFE_TEXT_FINDINGS) {
    const step = stack.pop()!;
    const v = step.value;
    const child = (value: unknown, key: string | number): Step => ({ value, key, parent: step });
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) found.push({ path: pathOf(step), message: problem });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push(child(item, i)));
    } else if (typeof v === 'object' && v !== null && isPlainObject(v)) {
      for (const [key, item] of Object.entries(v)) {
        const keyProblem = textProblem(key);
        if (keyProblem) found.push({ path: pathOf(child(null, key)), message: `the name ${keyProblem}` });
        stack.push(child(item, key));
      }
    }
  }
  return found.slice(0, MAX_UNSAFE_TEXT_FINDINGS);
}

/** The same schema, also refusing any text in its value that breaks the rule above. */
export function refuseUnsafeText<S extends z.ZodType>(schema: S): S {
  return schema.superRefine((value, ctx) => {
    for (const f of findUnsafeText(value)) ctx.addIssue({ code: 'custom', path: f.path, message: f.message });
  }) as S;
}

/** A map of event schemas, each refusing unsafe text (see refuseUnsafeText). */
export function refuseUnsafeTextIn<M extends Record<string, z.ZodType>>(schemas: M): M {
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, refuseUnsafeText(schema)])) as M;
}
