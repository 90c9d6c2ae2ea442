import { z } from 'zod';
import type { RouteResponse } from './route-definition.ts';
import { intParam } from './time-params.ts';

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
    .describe('opaque: the `nextCursor` (or X-Next-Cursor header) the page before answered')
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

/** Items per page when the client names no `limit`: what lists answered before they were paged. */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** The query parameter `limit` of a paged list. */
export const PageLimit = intParam(1, MAX_PAGE).optional().describe(`items per page, default ${DEFAULT_PAGE}, at most ${MAX_PAGE}`);

/** The `nextCursor` member of a paged answer that is an object. */
export const NextCursor = z.string().nullable().describe('pass as `cursor` (with the same filters) for the next page; null on the last page');

/**
 * Lists that answer a bare array (older clients rely on it) carry the next cursor in this
 * header instead; `responseHeaders` documents it in the OpenAPI operation.
 */
export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';
export const NEXT_CURSOR_HEADER_DOC: Readonly<Record<string, string>> = {
  [NEXT_CURSOR_HEADER]: 'present when more items follow: pass it as `cursor` (with the same filters) for the next page; absent on the last page',
};

/**
 * The page of an array answer fetched with one item more than `limit`, setting the
 * X-Next-Cursor header when more follow.
 */
export function arrayPage<T>(res: Pick<RouteResponse, 'setHeader'>, items: readonly T[], limit: number, keyOf: (item: T) => unknown): T[] {
  const { page, nextCursor } = pageOf(items, limit, keyOf);
  if (nextCursor !== null) res.setHeader(NEXT_CURSOR_HEADER, nextCursor);
  return page;
}

/** A newest-first key of rows sorted by a time and then their id: the cursor of time-ordered lists. */
export const TimeIdKey = z.tuple([z.number().int(), z.number().int().positive()]);
/** A newest-first key of rows sorted by their id alone. */
export const IdKey = z.number().int().positive();

/** The store filter continuing an id-ordered list after the id a cursor carries (none on the first page). */
export function beforeIdOf(cursor: number | undefined): { beforeId?: number } {
  return cursor !== undefined ? { beforeId: cursor } : {};
}
