import { api } from './api.js';

/** @typedef {import('./api.js').CatalogView['entries'][number]} CatalogEntry */

/** @type {Promise<readonly CatalogEntry[]> | null} */
let entries = null;

/**
 * The fault catalog's entries (titles, remedy, guidance steps), fetched once per page load:
 * the catalog changes only with a release. A failed fetch is tried again next time.
 * @returns {Promise<readonly CatalogEntry[]>}
 */
export function catalogEntries() {
  entries ??= /** @type {Promise<import('./api.js').CatalogView>} */ (api('/catalog')).then(
    (catalog) => catalog.entries,
    (err) => {
      entries = null;
      throw err;
    },
  );
  return entries;
}

/** The catalog's title of each fault code. @returns {Promise<Map<string, string>>} */
export async function catalogTitles() {
  return new Map((await catalogEntries()).map((e) => [e.code, e.title]));
}
