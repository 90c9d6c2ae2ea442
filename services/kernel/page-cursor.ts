import { z } from 'zod';

/*
 * Cursor paging for lists: a page answers `nextCursor`, an opaque string the client passes
 * back as `cursor` for the page after it, or null on the last page. Inside, the cursor is the
 * sort key of the last item answered (base64url of its JSON); clients must not build or read it.
 */

/** The cursor continuing after an item with this sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]{1,400}$/;

/** The query parameter `cursor`, decoded to the sort key `key` describes; anything else is a 400. */
export function cursorParam<K extends z.ZodType>(key: K) {
  return z
    .string()
    .describe('opaque: the `nextCursor` of the page before')
    .transform((text, ctx): z.output<K> => {
      const parsed = BASE64URL.test(text) ? key.safeParse(parseJson(Buffer.from(text, 'base64url').toString('utf8'))) : null;
      if (!parsed?.success) {
        ctx.addIssue({ code: 'custom', message: 'not a cursor this list answered' });
        return z.NEVER;
      }
      return parsed.data;
    });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Cuts a list fetched with one item more than `limit`: the page, and the cursor after its last
 * item when that extra item shows more follow.
 */
export function pageOf<T>(items: readonly T[], limit: number, keyOf: (item: T) => unknown): { page: T[]; nextCursor: string | null } {
  const page = items.slice(0, limit);
  return { page, nextCursor: items.length > limit && page.length > 0 ? encodeCursor(keyOf(page.at(-1)!)) : null };
}
