import { api } from './api.js';
import { currentLocale } from './i18n.js';

/** @typedef {import('./api.js').CatalogView['entries'][number]} CatalogEntry */
/** @typedef {import('./i18n.js').Locale} Locale */

/** The catalog in each language asked for so far. @type {Map<Locale, Promise<readonly CatalogEntry[]>>} */
const entries = new Map();

/**
 * The fault catalog's entries (titles, remedy, guidance steps) in the page's language, fetched
 * once per language and page load: the catalog changes only with a release, and a switch of
 * language asks for the other one (`?lang=`). A failed fetch is tried again next time.
 * @returns {Promise<readonly CatalogEntry[]>}
 */
export function catalogEntries() {
  const locale = currentLocale();
  let answer = entries.get(locale);
  if (!answer) {
    answer = /** @type {Promise<import('./api.js').CatalogView>} */ (api(`/catalog?lang=${encodeURIComponent(locale)}`)).then(
      (catalog) => catalog.entries,
      (err) => {
        entries.delete(locale);
        throw err;
      },
    );
    entries.set(locale, answer);
  }
  return answer;
}

/** The catalog's title of each fault code, in the page's language. @returns {Promise<Map<string, string>>} */
export async function catalogTitles() {
  return new Map((await catalogEntries()).map((e) => [e.code, e.title]));
}
