import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * An error keeps its stable code and says what it means in the request's language: `?lang=`
 * where the route takes it, else Accept-Language, else English.
 */
describe('API errors in the request language', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  async function missingBox(extra: Record<string, string>): Promise<{ status: number; body: { error: string; message: string } }> {
    const res = await fetch(`${backend.api}/devices/MTB000000404`, { headers: { ...headers, ...extra } });
    return { status: res.status, body: (await res.json()) as { error: string; message: string } };
  }

  it('answers in Chinese to Accept-Language zh-CN and in English to en, with the same code', async () => {
    const zh = await missingBox({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    const en = await missingBox({ 'accept-language': 'en-US,en;q=0.9' });
    expect(zh.status).toBe(404);
    expect(en.status).toBe(404);
    expect(zh.body.error).toBe('DEVICE_NOT_FOUND');
    expect(en.body.error).toBe('DEVICE_NOT_FOUND');
    expect(zh.body.message).toBe('没有登记此序列号的盒子。');
    expect(en.body.message).toBe('No box with this serial is registered.');
  });

  it('answers in English without Accept-Language, and to a language it does not offer', async () => {
    expect((await missingBox({})).body.message).toBe(ERROR_MESSAGES.DEVICE_NOT_FOUND.en);
    expect((await missingBox({ 'accept-language': 'fr-FR, de;q=0.5' })).body.message).toBe(ERROR_MESSAGES.DEVICE_NOT_FOUND.en);
  });

  it('lets ?lang= win over Accept-Language on a route that takes it', async () => {
    const res = await fetch(`${backend.api}/catalog?lang=zh&unknown=1`, { headers: { ...headers, 'accept-language': 'en' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.message).toBe(ERROR_MESSAGES.VALIDATION_FAILED['zh-CN']);
  });

  it('answers a public route and an unauthenticated call in the asked language too', async () => {
    const login = await fetch(`${backend.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: JSON.stringify({ username: 'admin', password: 'wrong-password-here' }),
    });
    expect(await login.json()).toMatchObject({ error: 'INVALID_CREDENTIALS', message: '用户名或密码错误。' });
    const anonymous = await fetch(`${backend.api}/devices`, { headers: { 'accept-language': 'zh-Hans-CN' } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'UNAUTHENTICATED', message: ERROR_MESSAGES.UNAUTHENTICATED['zh-CN'] });
  });
});
