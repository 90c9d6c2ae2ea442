import { z } from 'zod';

/**
 * Bounds on free-form JSON (a fault's `context`, an event's `details`, a command's `args`,
 * `result` and `error.details`). JSON.parse copes with any nesting, but JSON.stringify, the
 * store and every recursive reader overflow the stack at a few thousand levels: one box
 * answering with 10,000 nested objects once took the whole backend down. MT-BOX firmware
 * nests a handful of levels; docs/protocol.md states these limits.
 */
export const MAX_JSON_DEPTH = 32;
/** Largest JSON text of one free-form value sent to a box (a full parameter set is ~100 KiB). */
export const MAX_COMMAND_ARGS_BYTES = 256 * 1024;

/** Marks the zod issue a too-deep value raises, so the edge can count it under its own reason. */
export const JSON_TOO_DEEP = 'json-too-deep';

/**
 * Whether a parsed JSON value nests deeper than `max` objects/arrays. Iterative, so the check
 * itself cannot overflow the stack; it stops at the first branch past the limit.
 */
export function jsonDepthExceeds(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ v: child, depth: depth + 1 });
    }
  }
  return false;
}

function checkDepth(value: unknown, ctx: z.RefinementCtx): void {
  if (jsonDepthExceeds(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
      params: { limit: JSON_TOO_DEEP },
    });
  }
}

/** Any JSON value nesting at most MAX_JSON_DEPTH levels (the object holding it counts as one). */
export const BoundedJson = z.unknown().superRefine(checkDepth);

/** A JSON object of free-form values nesting at most MAX_JSON_DEPTH levels. */
export const BoundedJsonObject = z.record(z.string(), z.unknown()).superRefine(checkDepth);

/** Whether one of the issues is the depth bound (as opposed to a wrong shape). */
export function isTooDeep(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.some((i) => i.code === 'custom' && (i.params as { limit?: string } | undefined)?.limit === JSON_TOO_DEEP);
}

/** A command's `args` as accepted from the API, a session or a restore: bounded in depth and size. */
export const BoundedCommandArgs = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  if (jsonDepthExceeds(value)) return checkDepth(value, ctx);
  // Serialised only once the depth is known to be safe.
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_COMMAND_ARGS_BYTES) {
    ctx.addIssue({ code: 'custom', message: `larger than ${MAX_COMMAND_ARGS_BYTES} bytes as JSON` });
  }
});
