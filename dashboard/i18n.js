import { IntlMessageFormat } from '/vendor/intl-messageformat.js';
import { MESSAGES } from './messages/index.js';

/*
 * The page's language and time zone, its words (ICU messages, FormatJS' intl-messageformat) and
 * its formats (the platform's Intl). Every word a page shows comes from `t`, every date, amount
 * and number from the formatters here, so a switch of language re-renders into the other one.
 */

/** @typedef {import('../services/kernel/locale.ts').Locale} Locale */
/** @typedef {keyof typeof MESSAGES} MessageKey */
/** @typedef {Record<string, string | number | Date>} MessageValues */

/** The languages offered, in the order the switch lists them. @type {readonly Locale[]} */
export const LOCALES = ['zh-CN', 'en'];
/** Each language's name in itself, as language switches write them. @type {Record<Locale, string>} */
export const LOCALE_NAMES = { 'zh-CN': '中文', en: 'English' };
/** China's zone: deadlines are counted on China's calendar (kernel/locale.ts DEFAULT_TIME_ZONE). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

// The choice made on this browser before signing in; an account's own choice wins after.
const STORAGE_KEY = 'mtbox.locale';

/**
 * A BCP 47 tag mapped to the locale offered for it, or null (kernel/locale.ts localeOfTag, which
 * the server negotiates with: Simplified Chinese only, Traditional readers get their next choice).
 * @param {string} tag
 * @returns {Locale | null}
 */
export function localeOfTag(tag) {
  const [language, ...rest] = tag.trim().toLowerCase().split(/[-_]/);
  if (language === 'en') return 'en';
  if (language !== 'zh') return null;
  if (rest.length === 0 || rest.includes('hans')) return 'zh-CN';
  if (rest.includes('hant')) return null;
  const region = rest.find((s) => /^[a-z]{2}$/.test(s));
  return region === 'cn' || region === 'sg' ? 'zh-CN' : null;
}

/** @param {unknown} value @returns {value is Locale} */
export function isLocale(value) {
  return value === 'en' || value === 'zh-CN';
}

/** The browser's languages (what it sends as Accept-Language), first one offered; else English. */
function browserLocale() {
  // (No navigator where the dashboard's logic is unit-tested in Node 20.)
  const nav = globalThis.navigator;
  for (const tag of nav?.languages ?? [nav?.language ?? 'en']) {
    const locale = localeOfTag(tag);
    if (locale) return locale;
  }
  return 'en';
}

function storedLocale() {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(saved) ? saved : null;
  } catch {
    return null; // storage disabled: follow the browser
  }
}

/** @type {Locale} */
let locale = storedLocale() ?? browserLocale();
let timeZone = DEFAULT_TIME_ZONE;
/** @type {Set<() => void>} */
const listeners = new Set();
/** @type {Map<string, IntlMessageFormat>} */
const compiled = new Map();

/** @returns {Locale} */
export function currentLocale() {
  return locale;
}

export function currentTimeZone() {
  return timeZone;
}

/**
 * Switches the page's language; listeners re-render. `remember` keeps the choice on this browser
 * (the sign-in page's switch); a signed-in account's choice is kept on the account instead.
 * @param {Locale} next
 * @param {{ remember?: boolean }} [options]
 */
export function setLocale(next, { remember = true } = {}) {
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage disabled: the choice lasts until the page is left
    }
  }
  if (next === locale) return;
  locale = next;
  formats.clear();
  listFormat = null;
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

/** @param {string} zone an IANA zone the server accepted */
export function setTimeZone(zone) {
  if (zone === timeZone) return;
  timeZone = zone;
  formats.clear();
  for (const listener of listeners) listener();
}

/**
 * Runs `listener` after every change of language or time zone; answers the unsubscribe.
 * @param {() => void} listener
 */
export function onLocaleChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A message in the page's language, its ICU arguments filled in (`{count, plural, …}`, `{n, number}`).
 * A message that cannot be formatted shows its key rather than breaking the page.
 * @param {MessageKey} key
 * @param {MessageValues} [values]
 * @returns {string}
 */
export function t(key, values) {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(MESSAGES[key][locale], locale);
    compiled.set(id, format);
  }
  try {
    return String(format.format(values));
  } catch {
    return key;
  }
}

/** The formatters of the current language and zone, made once each; cleared on a switch. @type {Map<string, Intl.DateTimeFormat | Intl.NumberFormat>} */
const formats = new Map();
/** @type {Intl.ListFormat | null} */
let listFormat = null;

/**
 * @param {string} name
 * @param {Intl.DateTimeFormatOptions} options
 */
function dateFormat(name, options) {
  let format = formats.get(name);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    formats.set(name, format);
  }
  return /** @type {Intl.DateTimeFormat} */ (format);
}

/**
 * @param {string} name
 * @param {Intl.NumberFormatOptions} options
 */
function numberFormat(name, options) {
  let format = formats.get(name);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formats.set(name, format);
  }
  return /** @type {Intl.NumberFormat} */ (format);
}

const DATE_TIME = /** @type {const} */ ({
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A moment (epoch ms) as date and time in the account's zone; `—` when there is none. @param {number | null | undefined} ms */
export function formatDateTime(ms) {
  return ms === null || ms === undefined ? '—' : dateFormat('dateTime', DATE_TIME).format(ms);
}

/**
 * A deadline: date, weekday, time to the minute and the zone's name, since people in other zones
 * act on it ("Tue, 12/08/2026, 18:00 GMT+8", "2026/12/08（周二）18:00 GMT+8").
 * @param {number | null | undefined} ms
 */
export function formatDeadline(ms) {
  if (ms === null || ms === undefined) return '—';
  const zone = dateFormat('zone', { timeZoneName: 'short' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  return t('common.deadline', {
    date: dateFormat('date', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms),
    weekday: dateFormat('weekday', { weekday: 'short' }).format(ms),
    time: dateFormat('minutes', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms),
    zone: zone ?? timeZone,
  });
}

/** A time of day in the account's zone, to the second (feeds and timelines). @param {number} ms */
export function formatTime(ms) {
  return dateFormat('time', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

/**
 * A calendar date the backend keeps as `YYYY-MM-DD` (receipt dates, warranty ends, holidays):
 * a day, not a moment, so it is shown as written whatever the zone.
 * @param {string | null | undefined} date
 */
export function formatCalendarDate(date) {
  if (!date) return '—';
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return date;
  // A day written as midnight UTC, read back in UTC: the zone never moves it to another day.
  let format = formats.get('calendarDate');
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
    formats.set('calendarDate', format);
  }
  return /** @type {Intl.DateTimeFormat} */ (format).format(ms);
}

/**
 * How far the account's clocks are ahead of UTC at a moment, in ms (Asia/Shanghai: 8 h).
 * @param {number} ms
 */
function zoneOffset(ms) {
  // Numbers only, read from parts: the language of this format never shows.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(ms);
  /** @param {Intl.DateTimeFormatPartTypes} type */
  const part = (type) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * A `datetime-local` input's value for a moment, on the account's clock (every time on the page
 * is), to the minute: `2026-11-30T09:00`.
 * @param {number} ms
 */
export function toDateTimeInput(ms) {
  return new Date(ms + zoneOffset(ms)).toISOString().slice(0, 16);
}

/**
 * A `datetime-local` input's value read on the account's clock, not the browser's: the moment it
 * names, or NaN.
 * @param {string} value e.g. `2026-11-30T09:00`
 */
export function fromDateTimeInput(value) {
  const asUtc = Date.parse(`${value}Z`);
  if (Number.isNaN(asUtc)) return Number.NaN;
  const guess = asUtc - zoneOffset(asUtc);
  // Once more at the guess, for a zone whose offset changes between the two (summer time).
  return asUtc - zoneOffset(guess);
}

/** An amount the backend keeps in integer fen, in yuan: `¥1,200.00`. @param {number} fen */
export function formatMoney(fen) {
  return numberFormat('money', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(fen / 100);
}

/**
 * A number with the language's separators.
 * @param {number} n
 * @param {Intl.NumberFormatOptions} [options] e.g. `{ maximumFractionDigits: 1 }`
 */
export function formatNumber(n, options = {}) {
  return numberFormat(`number:${JSON.stringify(options)}`, options).format(n);
}

/**
 * A list joined the language's way: `a, b and c` / `a、b和c`.
 * @param {string[]} items
 */
export function formatList(items) {
  listFormat ??= new Intl.ListFormat(locale, { type: 'conjunction' });
  return listFormat.format(items);
}

/**
 * Sets the text of every element under `root` that names a message in `data-i18n`, and the
 * attribute a `data-i18n-attr="placeholder:key"` names: the static markup of index.html.
 * @param {ParentNode} root
 */
export function translateMarkup(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(/** @type {MessageKey} */ (el.getAttribute('data-i18n')));
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    const [attr, key] = /** @type {string} */ (el.getAttribute('data-i18n-attr')).split(':');
    if (attr && key) el.setAttribute(attr, t(/** @type {MessageKey} */ (key)));
  }
}

if (globalThis.document) document.documentElement.lang = locale;
