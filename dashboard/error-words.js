import { ApiError } from './api.js';
import { ERROR_MESSAGES } from '/i18n/error-messages.js';
import { currentLocale, formatList, t } from './i18n.js';

/*
 * A failure in words for the person who clicked. What a code means comes from the one table the
 * API's `message` is read from too (services/platform/http/error-messages.ts, served to the page
 * as /i18n/error-messages.js); a code newer than the page falls back to the server's message.
 * What the server added (which field, which moves are possible now, when to retry) is put in
 * words here.
 */

/** @param {string} code */
function codeWords(code) {
  const words = /** @type {Record<string, Record<import('./i18n.js').Locale, string>>} */ (ERROR_MESSAGES)[code];
  return Object.hasOwn(ERROR_MESSAGES, code) && words ? words[currentLocale()] : null;
}

/**
 * @param {unknown} details
 * @returns {string}
 */
function detailWords(details) {
  if (Array.isArray(details)) {
    // Validation issues: `{ in, path, message }` each.
    return details
      .slice(0, 5)
      .map((/** @type {unknown} */ issue) => {
        const i = /** @type {{ path?: unknown, message?: unknown, field?: unknown, row?: unknown, errors?: unknown }} */ (issue ?? {});
        // A CSV import's refusal: each bad row with what is wrong in it.
        if (typeof i.row === 'number') return t('common.error.row', { row: i.row, problems: detailWords(i.errors) });
        const where = typeof i.path === 'string' ? i.path : typeof i.field === 'string' ? i.field : '';
        const path = where !== '' ? `${where}: ` : '';
        return `${path}${String(i.message ?? '')}`;
      })
      .join('; ');
  }
  if (typeof details !== 'object' || details === null) return '';
  const d = /** @type {Record<string, unknown>} */ (details);
  if (Array.isArray(d.allowed)) {
    return d.allowed.length === 0 ? t('common.error.noMove') : t('common.error.possibleNow', { moves: formatList(d.allowed.map(String)) });
  }
  if (typeof d.retryAfterS === 'number') return t('common.error.retryIn', { seconds: d.retryAfterS });
  if (typeof d.message === 'string') return d.message;
  if (typeof d.reason === 'string') return d.reason;
  return '';
}

/**
 * A failure in words: what it means, and what the server added (which field, which moves are
 * possible now). Never "INTERNAL (HTTP 500)" alone.
 * @param {unknown} err
 */
export function errorText(err) {
  if (err instanceof ApiError) {
    const words = codeWords(err.code) ?? err.words ?? t('common.error.unknownCode', { code: err.code });
    const more = detailWords(err.details);
    return more ? `${words} ${more}` : words;
  }
  if (err instanceof TypeError) return t('common.error.unreachable');
  return String(/** @type {{ message?: unknown } | null | undefined} */ (err)?.message ?? err);
}
