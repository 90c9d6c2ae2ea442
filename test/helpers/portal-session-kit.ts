import type { ApiFixture, RequestOptions } from './http-fixture.ts';
import type { SessionFixture } from './session-fixture.ts';

/**
 * The session fixture's backend as customerOrg (customer-kit.ts) needs it: HTTP requests on
 * its origin and staff logins, so customer organisations can be made against the whole
 * backend (socket.io, MQTT) and not only the HTTP fixture.
 */
export function asCustomerKitApi(fixture: SessionFixture): Pick<ApiFixture, 'request' | 'headersFor'> {
  return {
    request: (method: string, path: string, options: RequestOptions = {}) =>
      fetch(`http://127.0.0.1:${fixture.backend.app.httpPort}${path}`, {
        method,
        headers: { ...options.headers, ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
      }),
    headersFor: async (role) => (await fixture.account(role)).headers,
  };
}
