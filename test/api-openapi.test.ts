import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../services/platform/accounts/domain/roles.ts';
import { API_ROUTES } from '../services/compose-routes.ts';
import { OPENAPI_FILE, renderOpenApi } from '../services/write-openapi.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

type Operation = { security: unknown[]; 'x-permission'?: string; 'x-roles'?: string[]; responses: Record<string, unknown> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

let api: ApiFixture;
beforeAll(async () => {
  api = await startApiFixture();
});
afterAll(() => api.close());

describe('OpenAPI document', () => {
  it('matches the committed docs/openapi.json (run `npm run openapi` after changing a route)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('is served publicly at /api/openapi.json, identical to the generated one', async () => {
    const res = await api.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(renderOpenApi()));
  });

  it('documents every route with its permission, roles and error statuses', () => {
    const doc = JSON.parse(renderOpenApi()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    for (const route of API_ROUTES) {
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      if (route.access === 'public') {
        expect(op!.security).toEqual([]);
      } else {
        expect(op!.responses['401']).toBeDefined();
      }
      if (route.access !== 'public' && route.access !== 'session') {
        expect(op!['x-permission']).toBe(route.access);
        expect(op!['x-roles']).toEqual(PERMISSIONS[route.access]);
        expect(op!.responses['403']).toBeDefined();
      }
    }
  });
});
