import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_ROUTES } from '../services/compose-routes.ts';
import type { AnyRouteShape } from '../services/kernel/route-definition.ts';
import { customerOrg } from './helpers/customer-kit.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { startSessionFixture, type SessionFixture } from './helpers/session-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Strict inputs: every route refuses query parameters it does not name, text filters match
 * literally, and text with U+0000, a lone surrogate or invalid UTF-8 is refused the same way
 * at every entry point (JSON bodies, queries, path parameters, CSV, socket.io).
 */

let api: ApiFixture;
let admin: Record<string, string>;
// Portal routes admit customer accounts only: they are walked as one.
let customer: Record<string, string>;
beforeAll(async () => {
  api = await startApiFixture();
  admin = await api.headersFor('admin');
  customer = (await customerOrg(api, 'Strict Inputs Works', [], 'strict-inputs-customer')).headers;
});
const headersOf = (route: AnyRouteShape) => (route.access === 'portal:use' ? customer : admin);
afterAll(() => api.close());

interface Issue {
  in: string;
  path: string;
  message: string;
}

async function validationIssues(res: Response): Promise<Issue[]> {
  const body = (await res.json()) as { error: string; details: Issue[] };
  expect({ status: res.status, error: body.error }).toEqual({ status: 400, error: 'VALIDATION_FAILED' });
  return body.details;
}

// Values of the right shape for every path parameter in the table; ids that exist nowhere,
// so a route that skipped validation would answer 404 instead of 400.
const SAMPLE_PARAMS = ['MTB2499999999', '987654', '2026', '0123456789abcdef0123456789abcdef', `${'a'.repeat(42)}Z`];

function samplePath(route: AnyRouteShape): string {
  if (!route.params) return route.path;
  const shape = (route.params as z.ZodObject).shape as Record<string, z.ZodType>;
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = SAMPLE_PARAMS.find((v) => shape[name]!.safeParse(v).success);
    if (value === undefined) throw new Error(`no sample value fits :${name} of ${route.path}; add one to SAMPLE_PARAMS`);
    return encodeURIComponent(value);
  });
}

describe('unknown query parameters', () => {
  it.each(API_ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    '%s refuses ?serail=X, naming the key',
    async (_name, route) => {
      const res = await api.request(route.method.toUpperCase(), `${samplePath(route)}?serail=X`, { headers: headersOf(route) });
      const issues = await validationIssues(res);
      expect(issues).toContainEqual({ in: 'query', path: 'serail', message: expect.any(String) });
    },
  );

  it('names each unknown key and still reads the known ones', async () => {
    const res = await api.request('GET', '/api/tickets?limit=5&serail=X&stat=open', { headers: admin });
    expect((await validationIssues(res)).map((i) => `${i.in}:${i.path}`)).toEqual(['query:serail', 'query:stat']);
    expect((await api.request('GET', '/api/tickets?limit=5', { headers: admin })).status).toBe(200);
    expect((await api.request('GET', '/api/catalog', { headers: admin })).status).toBe(200);
  });
});

describe('text filters', () => {
  const customers = ['Acme 100% Works', 'Acme_Works', 'AcmeXWorks', 'Acme Works', 'Back\\slash Ltd'];
  beforeAll(async () => {
    for (const [i, name] of customers.entries()) {
      const res = await api.request('POST', '/api/devices', {
        headers: admin,
        json: { serial: `MTB25LIKE${String(i).padStart(4, '0')}`, model: 'MT-BOX-4G', customer: { name, businessLine: 'smart-factory' } },
      });
      expect(res.status).toBe(201);
    }
  });

  async function customersMatching(rawQuery: string): Promise<string[]> {
    const res = await api.request('GET', `/api/devices?${rawQuery}`, { headers: admin });
    expect(res.status).toBe(200);
    const { devices } = (await res.json()) as { devices: Array<{ customer: { name: string } | null }> };
    return devices.map((d) => d.customer?.name ?? '').sort();
  }

  it('matches % literally, typed raw or percent-encoded', async () => {
    expect(await customersMatching('customer=%')).toEqual(['Acme 100% Works']);
    expect(await customersMatching(new URLSearchParams({ customer: '%' }).toString())).toEqual(['Acme 100% Works']);
  });

  it('matches _ and the escape character literally', async () => {
    expect(await customersMatching(new URLSearchParams({ customer: '_' }).toString())).toEqual(['Acme_Works']);
    expect(await customersMatching(new URLSearchParams({ customer: '\\' }).toString())).toEqual(['Back\\slash Ltd']);
    expect(await customersMatching(new URLSearchParams({ customer: 'e_W' }).toString())).toEqual(['Acme_Works']);
  });

  it('still finds part of a name, ignoring ASCII letter case', async () => {
    expect(await customersMatching('customer=acme%20w')).toEqual(['Acme Works']);
  });
});

describe('text with U+0000, lone surrogates or invalid UTF-8 over HTTP', () => {
  // JSON text as a client would write it: `model` may hold JSON escapes such as \u0000.
  const device = (model: string) => `{"serial":"MTB25TEXT0001","model":"${model}"}`;

  async function postRawJson(path: string, body: string | Buffer): Promise<Response> {
    const bytes = typeof body === 'string' ? body : new Uint8Array(body);
    return fetch(`${api.url}${path}`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: bytes });
  }

  async function notCreated(): Promise<void> {
    expect((await api.request('GET', '/api/devices/MTB25TEXT0001', { headers: admin })).status).toBe(404);
  }

  it('refuses U+0000 in a JSON string, naming the field, and stores nothing', async () => {
    const issues = await validationIssues(await postRawJson('/api/devices', device('MT\\u0000BOX')));
    expect(issues).toEqual([{ in: 'body', path: 'model', message: expect.stringContaining('U+0000') }]);
    await notCreated();
  });

  it('refuses a lone surrogate written as a JSON escape', async () => {
    const issues = await validationIssues(await postRawJson('/api/devices', device('MT\\ud800BOX')));
    expect(issues).toEqual([{ in: 'body', path: 'model', message: expect.stringContaining('lone surrogate') }]);
    await notCreated();
  });

  it('refuses unsafe text inside free-form JSON and in object keys', async () => {
    const res = await api.request('POST', '/api/devices/MTB2499999999/commands', {
      headers: admin,
      json: { name: 'params.get', args: { group: 'plc\u0000', 'k\u0000': 1 } },
    });
    expect((await validationIssues(res)).map((i) => i.path).sort()).toEqual(['args.group', 'args.k\u0000']);
  });

  it('refuses a JSON body that is not valid UTF-8 instead of storing U+FFFD', async () => {
    for (const bad of [Buffer.from([0xff]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc3])]) {
      const body = Buffer.concat([Buffer.from('{"serial":"MTB25TEXT0001","model":"MT'), bad, Buffer.from('"}')]);
      const issues = await validationIssues(await postRawJson('/api/devices', body));
      expect(issues).toEqual([{ in: 'body', path: '', message: 'the body is not valid UTF-8' }]);
    }
    await notCreated();
  });

  it('refuses U+0000 and invalid UTF-8 in a query, and U+0000 in a path parameter', async () => {
    for (const value of ['%00', 'a%FFb', '%ED%A0%80', '%C3']) {
      const issues = await validationIssues(await api.request('GET', `/api/devices?customer=${value}`, { headers: admin }));
      expect(issues).toEqual([{ in: 'query', path: 'customer', message: expect.any(String) }]);
    }
    const issues = await validationIssues(await api.request('GET', '/api/devices/MTB%00X', { headers: admin }));
    expect(issues).toEqual([{ in: 'params', path: 'sn', message: expect.stringContaining('U+0000') }]);
    expect((await api.request('GET', `/api/devices?customer=${encodeURIComponent('株式会社')}`, { headers: admin })).status).toBe(200);
  });

  it('refuses a CSV import that is not valid UTF-8, and names the row and column of a cell with U+0000', async () => {
    const csv = (cells: Buffer) => Buffer.concat([Buffer.from('serial,model\r\nMTB25TEXT0001,'), cells, Buffer.from('\r\n')]);
    const post = (body: Buffer) =>
      fetch(`${api.url}/api/devices/import`, { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: new Uint8Array(body) });

    expect(await validationIssues(await post(csv(Buffer.from([0x4d, 0xff]))))).toEqual([
      { in: 'body', path: '', message: 'the body is not valid UTF-8' },
    ]);
    const nul = await post(csv(Buffer.from('M\u0000')));
    expect(nul.status).toBe(400);
    expect(await nul.json()).toEqual({
      error: 'IMPORT_INVALID',
      message: ERROR_MESSAGES.IMPORT_INVALID.en,
      details: [{ row: 2, serial: 'MTB25TEXT0001', errors: [{ field: 'model', message: expect.stringContaining('U+0000') }] }],
    });
    await notCreated();
  });

  it('reads a CSV in the charset it declares', async () => {
    const body = Buffer.from('serial,model\r\nMTB25TEXT0002,Caf\xe9\r\n', 'latin1');
    const res = await fetch(`${api.url}/api/devices/import`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv; charset=iso-8859-1' },
      body: new Uint8Array(body),
    });
    expect(res.status).toBe(201);
    const detail = (await (await api.request('GET', '/api/devices/MTB25TEXT0002', { headers: admin })).json()) as { model: string };
    expect(detail.model).toBe('Café');
  });
});

describe('text with U+0000 or lone surrogates over socket.io', () => {
  let sessions: SessionFixture;
  beforeAll(async () => {
    sessions = await startSessionFixture();
  });
  afterAll(() => sessions.close());

  it('refuses chat, notes and command arguments holding unsafe text before looking at the session', async () => {
    const engineer = await sessions.account('engineer');
    const client = sessions.connect({ token: engineer.token });
    await client.connected();
    for (const event of ['session.chat', 'session.note']) {
      expect(await client.request(event, { sessionId: 424242, text: 'hello\u0000' })).toEqual({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: [{ path: 'text', message: expect.stringContaining('U+0000') }] },
      });
    }
    expect(await client.request('session.command', { sessionId: 424242, name: 'params.get', args: { group: '\udc00plc' } })).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'args.group', message: expect.stringContaining('lone surrogate') }] },
    });
    // The same payload without the bad character passes validation and meets the access check.
    expect(await client.request('session.chat', { sessionId: 424242, text: 'hello' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
