import { z } from 'zod';

/*
 * The languages the product speaks and how a request picks one. Only Simplified Chinese is
 * offered: a Traditional Chinese reader (zh-TW, zh-HK, zh-Hant) is better served by their next
 * preference than by a script they did not ask for.
 */

export const LOCALES = ['en', 'zh-CN'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;
export const DEFAULT_LOCALE: Locale = 'en';

/** A BCP 47 tag as a client writes it, mapped to the locale we offer for it, or null when we offer none. */
export function localeOfTag(tag: string): Locale | null {
  const subtags = tag.trim().toLowerCase().split(/[-_]/);
  const [language, ...rest] = subtags;
  if (language === 'en') return 'en';
  if (language !== 'zh') return null;
  if (rest.length === 0) return 'zh-CN';
  if (rest.includes('hans')) return 'zh-CN';
  if (rest.includes('hant')) return null;
  // No script subtag: the region says which script is usual there.
  const region = rest.find((s) => /^[a-z]{2}$/.test(s));
  return region === 'cn' || region === 'sg' ? 'zh-CN' : null;
}

/** `?lang=`: any tag that maps to a locale we offer, case-insensitive; refused naming the supported ones. */
export const LangParam = z
  .string()
  .max(35)
  .transform((tag, ctx) => {
    const locale = localeOfTag(tag);
    if (locale) return locale;
    ctx.addIssue({ code: 'custom', message: `unsupported language; supported: ${LOCALES.join(', ')}` });
    return z.NEVER;
  })
  .describe(`the answer's language: ${LOCALES.join(' or ')} (also zh, zh-Hans, en-US…); overrides Accept-Language`);

interface Preference {
  locale: Locale | null;
  q: number;
  order: number;
}

function preferenceOf(part: string, order: number): Preference | null {
  const [tag, ...params] = part.split(';');
  if (!tag?.trim()) return null;
  const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
  const q = qParam === undefined ? 1 : Number(qParam.slice(2));
  if (!Number.isFinite(q) || q <= 0 || q > 1) return null;
  return { locale: localeOfTag(tag), q, order };
}

/** The best locale an Accept-Language header asks for (highest q, then header order), or null. */
export function localeFromAcceptLanguage(header: string): Locale | null {
  const preferences = header
    .split(',')
    .slice(0, 50)
    .map(preferenceOf)
    .filter((p): p is Preference => p !== null && p.locale !== null)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return preferences[0]?.locale ?? null;
}

/** An explicit `?lang=` (already mapped by LangParam) wins, then Accept-Language, then English. */
export function negotiateLocale(input: { query?: Locale | undefined; acceptLanguage?: string | undefined }): Locale {
  if (input.query) return input.query;
  if (input.acceptLanguage) return localeFromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LOCALE;
  return DEFAULT_LOCALE;
}

/*
 * Times are shown in China's zone unless an account chose another: the boxes are serviced, and
 * their deadlines counted, on China's calendar, whatever zone the browser happens to be in.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const knownZones = new Set<string>([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/** An IANA time zone name the platform's Intl knows (case as IANA writes it). */
export const TimeZone = z
  .string()
  .max(64)
  .refine((zone) => knownZones.has(zone), { message: 'not an IANA time zone name, e.g. Asia/Shanghai or Europe/Berlin' })
  .describe('an IANA time zone name, e.g. Asia/Shanghai');
export type TimeZone = z.infer<typeof TimeZone>;

/** What an account chose; null fields were not chosen and fall back as described above. */
export interface Preferences {
  locale: Locale | null;
  timeZone: string | null;
}
