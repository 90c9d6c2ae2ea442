import type { StaffRole } from '../../services/kernel/roles.ts';
import type { ApiFixture } from './http-fixture.ts';

/** An answer whose body is asserted field by field against literal values. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field against literal values
  body: any;
}

/**
 * API calls made as a staff role (the fixture's account for it): `call` answers whatever came
 * back; `ok` the body of a call that must succeed, failing the test with the error body
 * otherwise. `fixture` is read at each call, as tests start it in `beforeAll`.
 */
export function roleCalls(fixture: () => ApiFixture) {
  async function call(role: StaffRole, method: string, path: string, json?: unknown): Promise<Answer> {
    const api = fixture();
    const res = await api.request(method, path, { headers: await api.headersFor(role), ...(json !== undefined ? { json } : {}) });
    return { status: res.status, body: await res.json() };
  }
  // biome-ignore lint/suspicious/noExplicitAny: the body of a call that succeeded, asserted against literal values
  async function ok(role: StaffRole, method: string, path: string, json?: unknown, status = 200): Promise<any> {
    const r = await call(role, method, path, json);
    if (r.status !== status) throw new Error(`${method} ${path} as ${role}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  return { call, ok };
}
