import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AuthenticateError, Client } from 'aedes';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DeviceCredentials } from '../services/edge/registry/domain/registry-port.ts';
import { createBoxSecretHasher } from '../services/platform/security/box-secret-hash.ts';
import { hashSecret, SCRYPT_COST } from '../services/platform/security/secrets.ts';
import { createAuthenticate } from './authenticate.ts';
import type { BoxSessions } from './box-sessions.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { createRefusals } from './refusals.ts';
import { createVerifyGate } from './verify-gate.ts';
import { createConnectGate } from './connect-gate.ts';

const SERIAL = 'MTB2611000301';
const SECRET = 'the-right-secret';

async function setup(storedHash: (hasher: ReturnType<typeof createBoxSecretHasher>) => Promise<string> | string) {
  const hasher = createBoxSecretHasher(randomBytes(32));
  const creds: DeviceCredentials = { id: 1, serial: SERIAL, enabled: true, secretHash: await storedHash(hasher), requireCertificate: false };
  const gate = createVerifyGate({ concurrency: 1, maxQueued: 0 });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const refusals = createRefusals(pino({ level: 'warn' }, sink));
  const authenticate = createAuthenticate({
    // The registry port, in memory: what login reads and the scrypt → HMAC rewrite.
    registry: {
      credentials: async (serial) => (serial === SERIAL ? { ...creds } : null),
      replaceSecretHash: async (serial, from, to) => {
        if (serial !== SERIAL || creds.secretHash !== from) return false;
        creds.secretHash = to;
        return true;
      },
    },
    boxSecrets: hasher,
    throttle: createLoginThrottle({ failuresBeforeBan: 3, addressFailuresBeforeBan: 30, windowMs: 60_000, banMs: 60_000, maxTracked: 100 }),
    gate,
    connectGate: createConnectGate({ concurrency: 4, maxWaiting: 16, maxWaitMs: 5_000, clock: () => 1_000 }),
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
  /** Holds the scrypt gate's only slot until the returned function is called. */
  const occupy = () => {
    let release!: () => void;
    void gate.run(() => new Promise<void>((r) => (release = r)));
    return () => release();
  };
  return { login, occupy, refusals, creds, hasher, lines };
}

const legacy = () => hashSecret(SECRET, SCRYPT_COST.deviceSecret);

describe('box authentication', () => {
  it('checks a keyed hash without the scrypt gate, so a full gate does not hold a box back', async () => {
    const { login, occupy } = await setup((h) => h.hash(SECRET));
    const release = occupy();
    expect(await login(SECRET)).toBe(0);
    expect(await login('a-wrong-secret')).toBe(4);
    release();
  });

  it('answers "server unavailable" without checking an old scrypt hash when the check queue is full', async () => {
    const { login, occupy, refusals, creds } = await setup(legacy);
    const before = creds.secretHash;
    const release = occupy();
    expect(await login(SECRET)).toBe(3);
    expect(refusals.counts().overloaded).toBe(1);
    expect(creds.secretHash).toBe(before);
    release();
  });

  it('rewrites an old scrypt hash as the keyed hash after a right secret, and leaves it after a wrong one', async () => {
    const { login, occupy, creds, hasher } = await setup(legacy);
    const before = creds.secretHash;
    expect(await login('a-wrong-secret')).toBe(4);
    expect(creds.secretHash).toBe(before);
    expect(await login(SECRET)).toBe(0);
    expect(creds.secretHash).toBe(hasher.hash(SECRET));
    // Now checked without scrypt: a full gate no longer matters.
    const release = occupy();
    expect(await login(SECRET)).toBe(0);
    release();
  });

  it('refuses a box hashed under another key and logs that the key id does not match', async () => {
    const other = createBoxSecretHasher(randomBytes(32));
    const { login, lines, hasher } = await setup(() => other.hash(SECRET));
    expect(await login(SECRET)).toBe(4);
    const logged = lines.join('');
    expect(logged).toContain('the key id does not match');
    expect(logged).toContain(other.keyId);
    expect(logged).toContain(hasher.keyId);
  });
});
