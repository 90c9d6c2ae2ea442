import type { z } from 'zod';
import { SecretView } from '../services/edge/registry/api/device-schemas.ts';
import { type LoginRequest, LoginResponse } from '../services/platform/accounts/api/account-schemas.ts';
import { parseCredentialsCsv, type BoxCredentials } from './credentials-csv.ts';
import { formatCsv } from './csv.ts';
import { DEVICE_IMPORT_COLUMNS, demoDeviceRow, type DemoDevice } from './demo-fleet.ts';

/*
 * Registers demo boxes through the backend's HTTP API and collects their secrets. Requests
 * and answers are checked against the API's own zod schemas (the ones openapi.json is
 * generated from); the import's `serial,secret` CSV answer is read as BoxCredentials.
 */

export type ProvisionErrorCode = 'API_UNREACHABLE' | 'LOGIN_FAILED' | 'IMPORT_FAILED' | 'ROTATE_FAILED' | 'BAD_RESPONSE';

export class ProvisionError extends Error {
  constructor(
    readonly code: ProvisionErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ProvisionOptions {
  /** e.g. http://127.0.0.1:8080 */
  apiUrl: string;
  adminPassword: string;
  fetch?: typeof fetch;
  /** Rows per import request. */
  batchSize?: number;
  /** Parallel secret rotations for boxes that already exist. */
  concurrency?: number;
  log?: (message: string) => void;
}

/** Imports the devices (rotating the secret of those already registered) and returns every box's credentials. */
export async function provisionDevices(devices: readonly DemoDevice[], options: ProvisionOptions): Promise<BoxCredentials[]> {
  const api = apiClient(options);
  const token = await api.login();
  const batchSize = options.batchSize ?? 500;
  const out: BoxCredentials[] = [];
  for (let i = 0; i < devices.length; i += batchSize) {
    const batch = devices.slice(i, i + batchSize);
    const imported = await api.importDevices(token, batch);
    if (imported !== 'conflict') {
      out.push(...imported);
      continue;
    }
    // 409: some of these boxes are registered already (an earlier run whose CSV was lost).
    // Whatever the API did with the rest, rotating every secret gives known credentials;
    // boxes that turn out not to exist are imported on their own.
    options.log?.(`${batch.length} boxes: some already registered, rotating their secrets`);
    const rotated = await mapLimit(batch, options.concurrency ?? 8, (d) => api.rotateSecret(token, d.serial));
    const unknown = batch.filter((_, j) => rotated[j] === 'not-found');
    out.push(...rotated.filter((r): r is BoxCredentials => r !== 'not-found'));
    if (unknown.length > 0) {
      const second = await api.importDevices(token, unknown);
      if (second === 'conflict') throw new ProvisionError('IMPORT_FAILED', 'import answered 409 for boxes that do not exist', 409);
      out.push(...second);
    }
  }
  return out;
}

function apiClient(options: ProvisionOptions) {
  const doFetch = options.fetch ?? fetch;
  const call = async (path: string, init: RequestInit): Promise<Response> => {
    try {
      return await doFetch(new URL(path, options.apiUrl), init);
    } catch (err) {
      throw new ProvisionError('API_UNREACHABLE', `${options.apiUrl}: ${(err as Error).message}`);
    }
  };
  const failure = async (code: ProvisionErrorCode, what: string, res: Response) =>
    new ProvisionError(code, `${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`, res.status);

  return {
    async login(): Promise<string> {
      const res = await call('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: options.adminPassword } satisfies z.input<typeof LoginRequest>),
      });
      if (!res.ok) throw await failure('LOGIN_FAILED', 'admin login', res);
      const body = LoginResponse.safeParse(await res.json().catch(() => undefined));
      if (!body.success) throw new ProvisionError('BAD_RESPONSE', 'admin login: unexpected body');
      return body.data.token;
    },

    async importDevices(token: string, devices: readonly DemoDevice[]): Promise<BoxCredentials[] | 'conflict'> {
      const res = await call('/api/devices/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', accept: 'text/csv' },
        body: formatCsv([DEVICE_IMPORT_COLUMNS, ...devices.map(demoDeviceRow)]),
      });
      if (res.status === 409) return 'conflict';
      if (res.status !== 201 && res.status !== 200) throw await failure('IMPORT_FAILED', 'device import', res);
      const credentials = parseCredentialsCsv(await res.text());
      const got = new Set(credentials.map((c) => c.serial));
      const lost = devices.filter((d) => !got.has(d.serial));
      if (lost.length > 0) throw new ProvisionError('BAD_RESPONSE', `import returned no secret for ${lost.length} boxes, e.g. ${lost[0]?.serial}`);
      return credentials;
    },

    async rotateSecret(token: string, serial: string): Promise<BoxCredentials | 'not-found'> {
      const res = await call(`/api/devices/${encodeURIComponent(serial)}/secret`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      if (res.status === 404) return 'not-found';
      if (!res.ok) throw await failure('ROTATE_FAILED', `secret rotation for ${serial}`, res);
      const body = SecretView.safeParse(await res.json().catch(() => undefined));
      if (!body.success || body.data.serial !== serial) throw new ProvisionError('BAD_RESPONSE', `secret rotation for ${serial}: unexpected body`);
      return { serial, secret: body.data.secret };
    },
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
