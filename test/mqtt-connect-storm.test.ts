import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, SCRYPT_COST } from '../services/platform/security/secrets.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

describe('a connect storm', () => {
  let backend: TestBackend;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await backend.stop();
  });

  it('lets all of 400 boxes in when they connect at once, old scrypt hashes among them', async () => {
    const serials = Array.from({ length: 400 }, (_, i) => `MTB2612${String(i).padStart(6, '0')}`);
    const boxes = await backend.app.provision(serials.slice(0, 360));
    // Boxes registered before the keyed hash: scrypt on their first login.
    const legacy = serials.slice(360).map((serial) => ({ serial, secret: `legacy-secret-${serial}` }));
    for (const box of legacy) {
      await backend.app.db
        .insertInto('devices')
        .values({
          serial: box.serial,
          model: 'MT-BOX-4G',
          enabled: 1,
          secret_hash: await hashSecret(box.secret, SCRYPT_COST.deviceSecret),
          created_at: 0,
        })
        .execute();
    }
    const port = backend.app.mqttPort;
    const answers = await Promise.all([...boxes, ...legacy].map((b) => rawConnect(port, b.serial, b.secret, { keepalive: 60, keep: sockets })));
    expect(answers.filter((a) => a !== 0)).toEqual([]);
    expect(backend.app.broker.stats().connected).toBe(400);
    expect(backend.app.broker.stats().refusals.overloaded).toBe(0);
  });
});
