import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LangParam, localeOfTag, negotiateLocale } from './locale.ts';

describe('?lang= maps the tags clients write to a locale we offer', () => {
  it.each([
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
  ])('%s is %s', (tag, locale) => {
    expect(LangParam.parse(tag)).toBe(locale);
  });

  it.each(['xx', 'fr', 'zh-TW', 'zh-Hant', 'zh-Hant-CN', 'zh-HK', ''])('%s is refused naming the supported locales', (tag) => {
    const result = LangParam.safeParse(tag);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('unsupported language; supported: en, zh-CN');
  });
});

describe('negotiateLocale', () => {
  it('takes an explicit ?lang= over the header', () => {
    expect(negotiateLocale({ query: 'en', acceptLanguage: 'zh-CN,zh;q=0.9' })).toBe('en');
    expect(negotiateLocale({ query: 'zh-CN', acceptLanguage: 'en-US' })).toBe('zh-CN');
  });

  it('takes the browser preference of a Chinese browser', () => {
    expect(negotiateLocale({ acceptLanguage: 'zh-CN,zh;q=0.9,en;q=0.8' })).toBe('zh-CN');
  });

  it('honours q-values rather than header order', () => {
    expect(negotiateLocale({ acceptLanguage: 'en;q=0.4, zh-Hans;q=0.9' })).toBe('zh-CN');
    expect(negotiateLocale({ acceptLanguage: 'zh;q=0.5, en-GB' })).toBe('en');
  });

  it('skips languages we do not offer for the next preference', () => {
    expect(negotiateLocale({ acceptLanguage: 'fr, en;q=0.5' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'de-DE, zh;q=0.3' })).toBe('zh-CN');
  });

  it('does not serve Simplified Chinese to a Traditional Chinese reader who prefers something else', () => {
    expect(negotiateLocale({ acceptLanguage: 'zh-TW, en;q=0.7, zh-CN;q=0.5' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'zh-Hant-HK, zh;q=0.8' })).toBe('zh-CN');
  });

  it('ignores entries with q=0 or a broken q', () => {
    expect(negotiateLocale({ acceptLanguage: 'zh-CN;q=0, en;q=0.1' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'zh-CN;q=abc' })).toBe(DEFAULT_LOCALE);
  });

  it('falls back to English with no header, an empty one, a wildcard or nothing we offer', () => {
    expect(negotiateLocale({})).toBe('en');
    expect(negotiateLocale({ acceptLanguage: '' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: '*' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'fr-FR, de;q=0.9' })).toBe('en');
  });

  it('maps tags case-insensitively', () => {
    expect(localeOfTag('ZH-HANS-cn')).toBe('zh-CN');
  });
});
