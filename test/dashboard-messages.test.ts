import { readdirSync, readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';
import { LATIN_IN_CHINESE } from './helpers/language-check.ts';

/*
 * The dashboard's words: every message in both languages, parseable as ICU MessageFormat, with
 * the same arguments in each, each key defined once in the module its prefix names, and the
 * Chinese text actually Chinese (an English copy left behind is caught here, not by a reader).
 */

type Message = { en: string; 'zh-CN': string };

// The dashboard's plain ES modules are type-checked by dashboard/tsconfig.json, not this one.
const messagesModule: string = new URL('../dashboard/messages/index.js', import.meta.url).href;
const { MESSAGE_MODULES, MESSAGES } = (await import(messagesModule)) as {
  MESSAGE_MODULES: Record<string, Record<string, Message>>;
  MESSAGES: Record<string, Message>;
};

function argumentsOf(text: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]): void => {
    for (const el of elements as { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) {
      // Literal (0) and # (7) carry no argument name.
      if (el.type !== 0 && el.type !== 7 && typeof el.value === 'string') names.add(el.value);
      for (const option of Object.values(el.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, locale).getAst());
  return [...names].sort();
}

/** The message's own words: arguments and plural/select syntax taken out. */
function literalText(text: string, locale: string): string {
  const parts: string[] = [];
  const walk = (elements: unknown[]): void => {
    for (const el of elements as { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) {
      if (el.type === 0 && typeof el.value === 'string') parts.push(el.value);
      for (const option of Object.values(el.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, locale).getAst());
  return parts.join(' ');
}

const entries = Object.entries(MESSAGES);
const allowed = new Set(LATIN_IN_CHINESE);

describe('dashboard messages', () => {
  it('defines each key once, in the module its prefix names', () => {
    const seen = new Map<string, string>();
    for (const [module, messages] of Object.entries(MESSAGE_MODULES)) {
      for (const key of Object.keys(messages)) {
        expect(seen.get(key), `${key} is defined in ${seen.get(key)} and ${module}`).toBeUndefined();
        seen.set(key, module);
        expect(key.startsWith(`${module}.`), `${key} belongs in messages/${key.split('.')[0]}.js, not ${module}.js`).toBe(true);
      }
    }
    expect(seen.size).toBe(entries.length);
  });

  it.each(entries)('%s: both languages, valid ICU, the same arguments, Chinese in Chinese', (key, message) => {
    expect(Object.keys(message).sort()).toEqual(['en', 'zh-CN']);
    expect(message.en.trim(), `${key} en`).not.toBe('');
    expect(message['zh-CN'].trim(), `${key} zh-CN`).not.toBe('');
    expect(argumentsOf(message['zh-CN'], 'zh-CN'), `${key}: arguments`).toEqual(argumentsOf(message.en, 'en'));
    expect(literalText(message.en, 'en'), `${key}: Chinese characters in the English text`).not.toMatch(/\p{Script=Han}/u);
    const zh = literalText(message['zh-CN'], 'zh-CN');
    const latinWords = (zh.match(/[A-Za-z][A-Za-z-]*[A-Za-z]/g) ?? []).filter((w) => !allowed.has(w));
    expect(latinWords, `${key}: English words left in the Chinese text`).toEqual([]);
    if (/\p{L}/u.test(literalText(message.en, 'en'))) expect(zh, `${key}: no Chinese in the Chinese text`).toMatch(/\p{Script=Han}|^[\sA-Za-z-]*$/u);
  });

  it('uses every message somewhere in the dashboard (a key is named literally where it is shown)', () => {
    const dir = new URL('../dashboard/', import.meta.url);
    const files = [
      ...readdirSync(dir)
        .filter((f) => /\.(js|html)$/.test(f))
        .map((f) => new URL(f, dir)),
      ...readdirSync(new URL('views/', dir)).map((f) => new URL(`views/${f}`, dir)),
    ];
    const source = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(entries.map(([key]) => key).filter((key) => !source.includes(`'${key}'`) && !source.includes(`"${key}"`))).toEqual([]);
  });

  it('every API error code has its words in both languages', () => {
    for (const [code, words] of Object.entries(ERROR_MESSAGES)) {
      expect(words.en, code).not.toMatch(/\p{Script=Han}/u);
      expect(words['zh-CN'], code).toMatch(/\p{Script=Han}/u);
    }
  });
});
