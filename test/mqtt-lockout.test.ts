import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawConnect } from './helpers/raw-connect.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

const BOX = '127.0.0.1';
// Other loopback addresses: the whole 127/8 is local on Linux, so a client socket can bind one
// and reach the broker on 127.0.0.1 as a different remote address.
const ATTACKER = '127.0.0.2';
const PLANT_NAT = '127.0.0.3';

describe('MQTT login lockout hits the guessing address, not the box', () => {
  let backend: TestBackend;
  let port: number;
  let boxes: Array<{ serial: string; secret: string }>;
  const refusals = () => backend.app.broker.stats().refusals;

  beforeAll(async () => {
    // Pair ban after 3 failures; address ban after 10 × 3 = 30.
    backend = await startTestBackend({ LOGIN_FAILURES_BEFORE_BAN: '3' });
    port = backend.app.mqttPort;
    boxes = await backend.app.provision(['MTB2611000201', 'MTB2611000202', 'MTB2611000203', 'MTB2611000204']);
  });
  afterAll(() => backend.stop());

  it('lets the box in with its secret from its own address after 12 wrong secrets from another', async () => {
    const [box] = boxes as [{ serial: string; secret: string }];
    const answers: Array<number | 'closed'> = [];
    for (let i = 0; i < 12; i++) answers.push(await rawConnect(port, box.serial, `guess-${i}`, { from: ATTACKER }));
    // Three "bad user name or password", then "not authorized" without a secret check.
    expect(answers).toEqual([4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(await rawConnect(port, box.serial, box.secret, { from: BOX })).toBe(0);
  });

  it('keeps the guessing pair banned, even when it sends the right secret', async () => {
    const [box] = boxes as [{ serial: string; secret: string }];
    const before = refusals().banned;
    expect(await rawConnect(port, box.serial, box.secret, { from: ATTACKER })).toBe(5);
    expect(refusals().banned).toBe(before + 1);
  });

  it('bans an address that guesses across serials, but lets boxes with their right secret in', async () => {
    const [, known, fresh, other] = boxes as Array<{ serial: string; secret: string }>;
    // A box behind the plant's NAT that connected before the guessing started.
    expect(await rawConnect(port, known!.serial, known!.secret, { from: PLANT_NAT })).toBe(0);
    for (let i = 0; i < 30; i++) {
      const answer = await rawConnect(port, `MTB26990${String(i).padStart(5, '0')}`, 'guess', { from: PLANT_NAT });
      expect(answer).toBe(4);
    }
    // Now refused without saying why: unknown serials and wrong secrets alike.
    expect(await rawConnect(port, 'MTB2699099999', 'guess', { from: PLANT_NAT })).toBe(5);
    // A box's secret is checked with a keyed hash, cheap enough to check under the ban: every box
    // behind the NAT keeps working, whether or not it connected before the guessing.
    expect(await rawConnect(port, known!.serial, known!.secret, { from: PLANT_NAT })).toBe(0);
    expect(await rawConnect(port, fresh!.serial, fresh!.secret, { from: PLANT_NAT })).toBe(0);
    // Other addresses are not affected.
    expect(await rawConnect(port, fresh!.serial, fresh!.secret, { from: BOX })).toBe(0);
    expect(await rawConnect(port, other!.serial, other!.secret, { from: ATTACKER })).toBe(0);
  });

  it('still counts wrong secrets under an address ban, so guessing one serial ends in a pair ban', async () => {
    const [, , , other] = boxes as Array<{ serial: string; secret: string }>;
    // The address is banned by the previous test; three wrong secrets for one serial ban the pair.
    for (let i = 0; i < 3; i++) expect(await rawConnect(port, other!.serial, `guess-${i}`, { from: PLANT_NAT })).toBe(5);
    expect(await rawConnect(port, other!.serial, other!.secret, { from: PLANT_NAT })).toBe(5);
    expect(await rawConnect(port, other!.serial, other!.secret, { from: BOX })).toBe(0);
  });
});
