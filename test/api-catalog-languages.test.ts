import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/*
 * GET /api/catalog speaks English or Simplified Chinese: ?lang= wins, then Accept-Language
 * with its q-values, then English; `lang` in the answer says which one it chose.
 */

interface CatalogAnswer {
  version: string;
  lang: string;
  entries: { code: string; title: string; steps: string[] }[];
}

let api: ApiFixture;
let headers: Record<string, string>;
beforeAll(async () => {
  api = await startApiFixture();
  headers = await api.headersFor('engineer');
});
afterAll(() => api.close());

async function catalog(query: string, extra: Record<string, string> = {}): Promise<CatalogAnswer> {
  const res = await api.request('GET', `/api/catalog${query}`, { headers: { ...headers, ...extra } });
  expect(res.status).toBe(200);
  return (await res.json()) as CatalogAnswer;
}

const titleOf = (answer: CatalogAnswer, code: string) => answer.entries.find((e) => e.code === code)?.title;
const CJK = /[\u4e00-\u9fff]/;

describe('GET /api/catalog languages', () => {
  it('answers in Chinese for ?lang=zh-CN, every title and step in Chinese', async () => {
    const zh = await catalog('?lang=zh-CN');
    expect(zh.lang).toBe('zh-CN');
    expect(titleOf(zh, 'WATCHDOG_RESET')).toBe('网关被看门狗复位重启');
    expect(titleOf(zh, 'CELL_APN_REJECTED')).toBe('移动网络拒绝了 APN');
    const notChinese = zh.entries.flatMap((e) => [e.title, ...e.steps].filter((t) => !CJK.test(t)).map((t) => `${e.code}: ${t}`));
    expect(notChinese).toEqual([]);
  });

  it('answers the same codes, version and shape in both languages', async () => {
    const [en, zh] = await Promise.all([catalog('?lang=en'), catalog('?lang=zh-CN')]);
    expect(zh.version).toBe(en.version);
    expect(zh.entries.map((e) => [e.code, e.steps.length])).toEqual(en.entries.map((e) => [e.code, e.steps.length]));
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('takes ?lang= case-insensitively in the forms clients write', async () => {
    for (const tag of ['zh', 'ZH-hans', 'zh-Hans-CN']) expect((await catalog(`?lang=${tag}`)).lang).toBe('zh-CN');
    expect((await catalog('?lang=en-US')).lang).toBe('en');
  });

  it('follows a Chinese browser: Accept-Language zh-CN,zh;q=0.9,en;q=0.8', async () => {
    const zh = await catalog('', { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(zh.lang).toBe('zh-CN');
    expect(titleOf(zh, 'WATCHDOG_RESET')).toBe('网关被看门狗复位重启');
  });

  it('falls back to the next preference it offers: Accept-Language fr, en;q=0.5 gives English', async () => {
    const en = await catalog('', { 'Accept-Language': 'fr, en;q=0.5' });
    expect(en.lang).toBe('en');
    expect(titleOf(en, 'WATCHDOG_RESET')).toBe('Box restarted by its watchdog');
  });

  it('lets ?lang= win over Accept-Language', async () => {
    expect((await catalog('?lang=en', { 'Accept-Language': 'zh-CN' })).lang).toBe('en');
  });

  it('answers English without ?lang= or Accept-Language', async () => {
    const en = await catalog('');
    expect(en.lang).toBe('en');
    expect(titleOf(en, 'WATCHDOG_RESET')).toBe('Box restarted by its watchdog');
  });

  it('refuses ?lang=xx with VALIDATION_FAILED naming the supported locales', async () => {
    const res = await api.request('GET', '/api/catalog?lang=xx', { headers });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [{ in: 'query', path: 'lang', message: 'unsupported language; supported: en, zh-CN' }],
    });
  });
});
