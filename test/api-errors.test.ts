import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { TEST_DIALECT } from './helpers/test-database.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

let api: ApiFixture;
let admin: Record<string, string>;
beforeAll(async () => {
  api = await startApiFixture();
  admin = await api.headersFor('admin');
});
afterAll(() => api.close());

describe('HTTP errors are JSON with a stable code', () => {
  it('answers 400 INVALID_JSON for a malformed JSON body', async () => {
    const res = await api.request('POST', '/api/devices', {
      headers: { ...admin, 'content-type': 'application/json' },
      csv: '{"serial": "MTB2411000001",',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'INVALID_JSON', message: ERROR_MESSAGES.INVALID_JSON.en, details: { message: expect.any(String) } });
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a JSON body over 1 MB', async () => {
    const res = await api.request('POST', '/api/devices', { headers: admin, json: { serial: 'MTB2411000001', model: 'x'.repeat(1_100_000) } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: 'PAYLOAD_TOO_LARGE',
      message: ERROR_MESSAGES.PAYLOAD_TOO_LARGE.en,
      details: { limitBytes: 1024 * 1024 },
    });
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a form post to a JSON route', async () => {
    const res = await api.request('POST', '/api/users', {
      headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' },
      csv: 'username=eve&password=0123456789&role=admin',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: ERROR_MESSAGES.UNSUPPORTED_MEDIA_TYPE.en,
      details: { expected: 'application/json', received: 'application/x-www-form-urlencoded' },
    });
  });

  it('reads a POST without a body as an empty object, naming each missing field', async () => {
    const res = await api.request('POST', '/api/devices', { headers: admin });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: Array<{ in: string; path: string }> };
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.details.map((d) => `${d.in}:${d.path}`).sort()).toEqual(['body:model', 'body:serial']);
  });

  it('answers 404 NOT_FOUND as JSON for an unknown /api path or method', async () => {
    const unknown = await api.request('GET', '/api/nothing-here', { headers: admin });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'NOT_FOUND',
      message: ERROR_MESSAGES.NOT_FOUND.en,
      details: { method: 'GET', path: '/api/nothing-here' },
    });
    const wrongMethod = await api.request('DELETE', '/api/devices', { headers: admin });
    expect(wrongMethod.status).toBe(404);
  });

  it('answers 400 BAD_REQUEST for a path that is not valid percent-encoding', async () => {
    const res = await api.request('GET', '/api/devices/%E0%A4%A', { headers: admin });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('BAD_REQUEST');
  });

  it('does not read a body before the caller is authenticated', async () => {
    const res = await api.request('POST', '/api/devices', { csv: 'not json at all', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });

  it('marks API answers as not cacheable', async () => {
    const res = await api.request('GET', '/api/health');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('health', () => {
  it('answers status ok merged with what the composition root reports', async () => {
    api.shadows.connected(1, '10.0.0.7', api.now());
    const res = await api.request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      uptimeS: 0,
      mqtt: { connected: 1 },
      diagnostics: { decided: 0, failed: 0, pending: 0, latencyMs: { p50: null, p99: null } },
      // Telemetry is kept in the relational database when no time-series store is configured.
      telemetry: { kind: TEST_DIALECT },
    });
  });
});
