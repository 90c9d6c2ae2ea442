import { describe, expect, it } from 'vitest';
import { CommandChunk } from '../services/contract/payloads.ts';
import { SimBox, type SimBoxOptions } from './box.ts';
import { sha256Hex } from './command-chunks.ts';
import { useTestBroker } from './test-support/aedes-broker.ts';
import { CommandClient } from './test-support/command-client.ts';

const SN = 'MTB2611000002';
const live = useTestBroker();

async function onlineBox(options: Partial<SimBoxOptions> = {}) {
  const backend = await CommandClient.connect(live.broker.url, SN);
  live.defer(() => backend.close());
  const box = new SimBox({ serial: SN, secret: 's', mqttUrl: live.broker.url, backoff: { baseMs: 20, maxMs: 100 }, model: 'MT-BOX-P2', ...options });
  live.defer(() => box.stop({ graceful: false }));
  box.start();
  await backend.waitOnline();
  return { box, backend };
}

describe('SimBox command fault injection', () => {
  it('fail: answers the configured error instead of doing the work', async () => {
    const { box, backend } = await onlineBox();
    box.setCommandFaults({
      fail: { 'plc.scan': { code: 'busy', message: 'a scan is already running' }, 'params.set': { code: 'busy', message: 'flash busy' } },
    });
    expect((await backend.call('plc.scan')).outcome).toEqual({ ok: false, error: { code: 'busy', message: 'a scan is already running' } });
    expect((await backend.call('params.set', { changes: { 'plc.retries': 9 } })).outcome).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(box.params()['plc.retries']).toBe(3);
    expect((await backend.call('ping')).outcome).toMatchObject({ ok: true });
  });

  it('silent: does the work but never answers; the same id answers once the fault is lifted', async () => {
    const { box, backend } = await onlineBox();
    box.setCommandFaults({ silent: ['params.set'] });
    await backend.send('params.set', { changes: { 'plc.retries': 9 } }, { id: 'quiet-1' });
    // Answers leave in order on one topic and QoS [MQTT-4.6.0-2]: once the ping's is here, none came for quiet-1.
    await backend.call('ping');
    expect(backend.responsesTo('quiet-1')).toEqual([]);
    expect(box.params()['plc.retries']).toBe(9);

    box.setCommandFaults({});
    await backend.send('params.set', { changes: { 'plc.retries': 9 } }, { id: 'quiet-1' });
    expect((await backend.answer('quiet-1')).outcome).toEqual({ ok: true, parts: 1, result: { applied: 1 } });
  });

  it('dropPart: leaves out one part, so the backend has an incomplete result', async () => {
    const { box, backend } = await onlineBox();
    box.setCommandFaults({ dropPart: { 'params.get': 1 } });
    const id = await backend.send('params.get');
    await backend.call('ping');
    const answer = backend.collected(id);
    const parts = answer.responses.map((r) => CommandChunk.parse(r));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.map((p) => p.part)).toEqual(Array.from({ length: parts[0]!.parts }, (_, i) => i).filter((i) => i !== 1));
    expect(answer.outcome).toMatchObject({ ok: false, error: { code: 'incomplete-result', message: expect.stringContaining('missing part(s) 1') } });
  });

  it('corruptDigest: every part carries the same digest, which the joined text does not match', async () => {
    const { box, backend } = await onlineBox();
    box.setCommandFaults({ corruptDigest: ['params.get'] });
    const answer = await backend.call('params.get');
    const parts = answer.responses.map((r) => CommandChunk.parse(r));
    expect(new Set(parts.map((p) => p.sha256)).size).toBe(1);
    expect(parts[0]?.sha256).not.toBe(sha256Hex(parts.map((p) => p.data).join('')));
    expect(answer.outcome).toMatchObject({ ok: false, error: { code: 'digest-mismatch' } });
    // Small answers have no digest and go through untouched.
    expect((await backend.call('params.get', { group: 'report' })).outcome).toMatchObject({ ok: true });
  });

  it('delayMs: answers no sooner than the delay after the request', async () => {
    const { box, backend } = await onlineBox();
    box.setCommandFaults({ delayMs: 300 });
    const sentAt = performance.now();
    const answer = await backend.call('ping');
    // Timers may fire up to a millisecond early against a wall clock.
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(299);
    expect(answer.outcome).toMatchObject({ ok: true });
  });

  it('takes faults from the constructor, refuses a malformed one, and clears them all with {}', async () => {
    const { box, backend } = await onlineBox({ commandFaults: { fail: { ping: { code: 'busy', message: 'booting' } } } });
    expect((await backend.call('ping')).outcome).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(() => box.setCommandFaults({ fail: { ping: { code: 'Not Kebab', message: '' } } })).toThrow();
    expect(() => box.setCommandFaults({ delayMs: -1 })).toThrow();
    box.setCommandFaults({});
    expect((await backend.call('ping')).outcome).toMatchObject({ ok: true });
  });
});
