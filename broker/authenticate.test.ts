import type { AuthenticateError, Client } from 'aedes';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../services/platform/logger.ts';
import type { DeviceCredentials } from '../services/edge/registry/domain/registry-port.ts';
import { hashSecret, SCRYPT_COST } from '../services/platform/security/secrets.ts';
import { createAuthenticate } from './authenticate.ts';
import type { BoxSessions } from './box-sessions.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { createRefusals } from './refusals.ts';
import { createVerifyGate } from './verify-gate.ts';

const SERIAL = 'MTB2611000301';
const SECRET = 'the-right-secret';

async function setup() {
  const creds: DeviceCredentials = {
    id: 1,
    serial: SERIAL,
    enabled: true,
    secretHash: await hashSecret(SECRET, SCRYPT_COST.deviceSecret),
    requireCertificate: false,
  };
  const gate = createVerifyGate({ concurrency: 1, maxQueued: 0 });
  const refusals = createRefusals(createLogger('silent'));
  const authenticate = createAuthenticate({
    // The registry port, in memory: only `credentials` is used at login.
    registry: { credentials: async (serial) => (serial === SERIAL ? creds : null) },
    throttle: createLoginThrottle({ failuresBeforeBan: 3, addressFailuresBeforeBan: 30, windowMs: 60_000, banMs: 60_000, maxTracked: 100 }),
    gate,
    refusals,
    sessions: new WeakMap() as BoxSessions,
    clock: () => 1_000,
  });
  // What authenticate reads of aedes' client: its id and the socket's remote address.
  const client = { id: SERIAL, conn: { remoteAddress: '192.0.2.7' } } as unknown as Client;
  const login = (password: string) =>
    new Promise<number>((resolve) =>
      authenticate(client, SERIAL, Buffer.from(password), (err: AuthenticateError | null) => resolve(err ? err.returnCode : 0)),
    );
  /** Holds the gate's only slot until the returned function is called. */
  const occupy = () => {
    let release!: () => void;
    void gate.run(() => new Promise<void>((r) => (release = r)));
    return () => release();
  };
  return { login, occupy, refusals };
}

describe('box authentication under a login storm', () => {
  it('answers "server unavailable" without checking the secret when the check queue is full', async () => {
    const { login, occupy, refusals } = await setup();
    const release = occupy();
    expect(await login(SECRET)).toBe(3);
    expect(refusals.counts().overloaded).toBe(1);
    release();
  });

  it('still lets a box in through a full queue when its secret was verified before', async () => {
    const { login, occupy } = await setup();
    expect(await login(SECRET)).toBe(0);
    const release = occupy();
    expect(await login(SECRET)).toBe(0);
    expect(await login('a-wrong-secret')).toBe(3);
    release();
  });
});
