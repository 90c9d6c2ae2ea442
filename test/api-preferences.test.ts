import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

/* Each account keeps its language and time zone; the header's switch and zone dialog write them. */
describe('an account keeps its language and time zone', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = { ...(await backend.adminHeaders()), 'content-type': 'application/json' };
  });
  afterAll(async () => {
    await backend?.stop();
  });

  const me = async () => ((await (await fetch(`${backend.api}/auth/me`, { headers })).json()) as { preferences: unknown }).preferences;
  const change = (body: unknown) => fetch(`${backend.api}/auth/me/preferences`, { method: 'PATCH', headers, body: JSON.stringify(body) });

  it('starts unchosen: the browser picks the language, times are China time', async () => {
    expect(await me()).toEqual({ locale: null, timeZone: 'Asia/Shanghai', timeZoneChosen: false });
  });

  it('keeps each field on its own, and clears a choice with null', async () => {
    const saved = await change({ locale: 'zh-CN' });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', timeZoneChosen: false });
    expect((await change({ timeZone: 'Europe/Berlin' })).status).toBe(200);
    expect(await me()).toEqual({ locale: 'zh-CN', timeZone: 'Europe/Berlin', timeZoneChosen: true });
    expect((await change({ timeZone: null })).status).toBe(200);
    expect(await me()).toEqual({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', timeZoneChosen: false });
  });

  it('refuses a language it does not offer, an unknown zone, an empty change and unknown fields, changing nothing', async () => {
    for (const body of [{ locale: 'fr' }, { timeZone: 'Mars/Olympus' }, { timeZone: 'asia/shanghai' }, {}, { locale: 'en', theme: 'dark' }]) {
      const res = await change(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('VALIDATION_FAILED');
    }
    expect(await me()).toEqual({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', timeZoneChosen: false });
  });

  it('survives a restart (kept in the database, not the session)', async () => {
    await backend.restart();
    headers = { ...(await backend.adminHeaders()), 'content-type': 'application/json' };
    expect(await me()).toEqual({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', timeZoneChosen: false });
  });
});
