import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';

/* Remote commands from the API to simulated MT-BOX units over the real broker. */

describe('remote commands to simulated boxes', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  let box: SimBox;
  const SERIAL = 'MTB26SIMCMD01';

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
    const [cred] = await backend.app.provision([SERIAL, 'MTB26SIMCMD02']);
    box = new SimBox({ serial: SERIAL, secret: cred!.secret, mqttUrl: backend.mqttUrl, model: 'MT-BOX-X4', firmware: '2.4.1' });
    box.start();
    await box.waitOnline();
  });
  afterAll(async () => {
    await box.stop({ graceful: false });
    await backend.stop();
  });

  async function command(serial: string, body: unknown) {
    const res = await fetch(`${backend.api}/devices/${serial}/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the error body is asserted field by field against literal values
    return (await res.json()) as { id: string; status: string; result?: unknown; error?: any };
  }

  it('round-trips ping', async () => {
    const out = await command(SERIAL, { name: 'ping' });
    expect(out).toMatchObject({ status: 'succeeded', result: { fw: '2.4.1', uptime: expect.any(Number) } });
  });

  it('reads the whole parameter set, sent in parts and reassembled exactly', async () => {
    const out = await command(SERIAL, { name: 'params.get' });
    expect(out.status).toBe('succeeded');
    expect(out.result).toEqual(box.params());
    expect(JSON.stringify(out.result).length).toBeGreaterThan(3 * 16 * 1024);
  });

  it('refuses an atomic params.set as a whole, naming each refused parameter, and changes nothing', async () => {
    const before = box.params();
    const out = await command(SERIAL, {
      name: 'params.set',
      args: { changes: { 'plc.baud': 12345, 'plc.noSuchThing': 1, 'report.intervalSec': 60 } },
    });
    expect(out).toMatchObject({ status: 'failed', error: { code: 'params-refused' } });
    expect(Object.keys(out.error.details.refused).sort()).toEqual(['plc.baud', 'plc.noSuchThing']);
    expect(box.params()).toEqual(before);
  });

  it('applies a valid params.set on the box', async () => {
    const out = await command(SERIAL, { name: 'params.set', args: { changes: { 'report.intervalSec': 60, 'plc.baud': 19200 } } });
    expect(out).toMatchObject({ status: 'succeeded', result: { applied: 2 } });
    expect(box.params()).toMatchObject({ 'report.intervalSec': 60, 'plc.baud': 19200 });
  });

  it('times out when the box does not answer', async () => {
    box.setCommandFaults({ silent: ['diagnostics.run'] });
    try {
      const out = await command(SERIAL, { name: 'diagnostics.run', timeoutMs: 700 });
      expect(out.status).toBe('timed-out');
    } finally {
      box.setCommandFaults({});
    }
  });

  it('detects a lost part of a chunked answer and gives no result', async () => {
    box.setCommandFaults({ dropPart: { 'params.get': 2 } });
    try {
      const out = await command(SERIAL, { name: 'params.get', timeoutMs: 1500 });
      expect(out).toMatchObject({ status: 'failed', error: { code: 'incomplete-result', message: expect.stringContaining('parts 2 of 4') } });
      expect(out.result).toBeUndefined();
    } finally {
      box.setCommandFaults({});
    }
  });

  it('refuses at once when the box is offline', async () => {
    const out = await command('MTB26SIMCMD02', { name: 'ping' });
    expect(out).toEqual({ id: expect.any(String), status: 'offline' });
  });
});
