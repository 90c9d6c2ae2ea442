import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, SCRYPT_COST } from '../services/platform/security/secrets.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { TEST_DIALECT } from './helpers/test-database.ts';

describe('box secrets kept as a keyed hash', () => {
  let backend: TestBackend;
  const port = () => backend.app.mqttPort;
  /** The row as stored, read past the registry's cache. */
  const storedHash = async (serial: string) =>
    (await backend.app.db.selectFrom('devices').select('secret_hash').where('serial', '=', serial).executeTakeFirstOrThrow()).secret_hash;
  /** A box registered before the keyed hash: its row holds an scrypt hash. */
  async function legacyBox(serial: string, secret: string) {
    await backend.app.db
      .insertInto('devices')
      .values({ serial, model: 'MT-BOX-4G', enabled: 1, secret_hash: await hashSecret(secret, SCRYPT_COST.deviceSecret), created_at: 0 })
      .execute();
  }
  const api = async (method: string, route: string, json?: unknown) => {
    const res = await fetch(`${backend.api}${route}`, {
      method,
      headers: { ...(await backend.adminHeaders()), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    expect(res.status).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(() => backend.stop());

  if (TEST_DIALECT === 'sqlite') {
    it('keeps the key in DATA_DIR/box-secret.key, readable by the service user only', () => {
      expect(statSync(path.join(backend.dataDir, 'box-secret.key')).mode & 0o777).toBe(0o600);
    });
  } else {
    // Nodes sharing a database share the key too: it comes from BOX_SECRET_KEY (config.ts).
    it('writes no key file when the nodes share the key through BOX_SECRET_KEY', () => {
      expect(existsSync(path.join(backend.dataDir, 'box-secret.key'))).toBe(false);
    });
  }

  it('lets a box with an old scrypt hash in and rewrites its row as the keyed hash', async () => {
    await legacyBox('MTB2611000401', 'old-format-secret');
    expect(await rawConnect(port(), 'MTB2611000401', 'old-format-secret')).toBe(0);
    expect(await storedHash('MTB2611000401')).toMatch(/^hmac-sha256\$[0-9a-f]{8}\$[A-Za-z0-9_-]{43}$/);
    expect(await rawConnect(port(), 'MTB2611000401', 'old-format-secret')).toBe(0);
    expect(await rawConnect(port(), 'MTB2611000401', 'a-wrong-secret')).toBe(4);
  });

  it('leaves an old scrypt hash as it is after a wrong secret', async () => {
    await legacyBox('MTB2611000402', 'old-format-secret');
    const before = await storedHash('MTB2611000402');
    expect(await rawConnect(port(), 'MTB2611000402', 'a-wrong-secret')).toBe(4);
    expect(await storedHash('MTB2611000402')).toBe(before);
  });

  it('refuses the old secret at the next CONNECT after a rotation, and a disabled box, though both were just read', async () => {
    const [box] = (await backend.app.provision(['MTB2611000403'])) as [{ serial: string; secret: string }];
    expect(await rawConnect(port(), box.serial, box.secret)).toBe(0);
    const { secret } = (await api('POST', `/devices/${box.serial}/secret`)) as { secret: string };
    expect(await rawConnect(port(), box.serial, box.secret)).toBe(4);
    expect(await rawConnect(port(), box.serial, secret)).toBe(0);
    await api('PATCH', `/devices/${box.serial}`, { enabled: false });
    expect(await rawConnect(port(), box.serial, secret)).toBe(5);
    await api('PATCH', `/devices/${box.serial}`, { enabled: true });
    expect(await rawConnect(port(), box.serial, secret)).toBe(0);
  });

  it('reuses the key after a restart on the same data directory, so provisioned boxes still connect', async () => {
    const [box] = (await backend.app.provision(['MTB2611000404'])) as [{ serial: string; secret: string }];
    const hash = await storedHash(box.serial);
    await backend.restart();
    expect(await rawConnect(port(), box.serial, box.secret)).toBe(0);
    expect(await storedHash(box.serial)).toBe(hash);
  });
});
