import { describe, expect, it } from 'vitest';
import { COMMAND_CHUNK_BYTES, CommandChunk, CommandResponse } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import { SimBox, type SimBoxOptions } from './box.ts';
import { serialFor } from './demo-fleet.ts';
import { startFleet } from './fleet.ts';
import { factoryParams } from './params/default-params.ts';
import { useTestBroker } from './test-support/aedes-broker.ts';
import { CommandClient } from './test-support/command-client.ts';

// A Modbus RTU box polling stations 1, 4, 22 and 29 (factory parameters are seeded by serial).
const SN = 'MTB2611000002';
const live = useTestBroker();

async function onlineBox(options: Partial<SimBoxOptions> = {}) {
  const backend = await CommandClient.connect(live.broker.url, options.serial ?? SN);
  live.defer(() => backend.close());
  const box = new SimBox({ serial: SN, secret: 's', mqttUrl: live.broker.url, backoff: { baseMs: 20, maxMs: 100 }, ...options });
  live.defer(() => box.stop({ graceful: false }));
  box.start();
  // The box subscribes to cmd/req before it announces itself online.
  await backend.waitOnline();
  return { box, backend };
}

describe('SimBox commands over MQTT', () => {
  it('answers ping, diagnostics.run, log.fetch and plc.scan with the results the contract describes', async () => {
    const { backend } = await onlineBox({ firmware: '3.2.4' });
    const ping = await backend.call('ping');
    expect(ping.outcome).toEqual({ ok: true, parts: 1, result: { uptime: expect.any(Number), fw: '3.2.4' } });

    const diagnostics = await backend.call('diagnostics.run');
    expect(diagnostics.outcome).toMatchObject({
      ok: true,
      result: { checks: ['plc-link', 'cellular', 'storage', 'power'].map((name) => ({ name, ok: expect.any(Boolean), detail: expect.any(String) })) },
    });

    const log = await backend.call('log.fetch', { lines: 100 });
    const lines = log.outcome.ok ? (log.outcome.result as { lines: string[] }).lines : [];
    expect(lines[0]).toMatch(/system: boot: MT-BOX-S1 firmware 3\.2\.4$/);
    expect(lines).toContainEqual(expect.stringMatching(/mqtt: connected \(new session\)$/));
    expect(lines.at(-1)).toMatch(/cmd: cmd-2 diagnostics\.run: ok$/);

    const scan = await backend.call('plc.scan', { from: 1, to: 10 });
    expect(scan.outcome).toEqual({ ok: true, parts: 1, result: { protocol: 'modbus-rtu', responding: [1, 4] } });
    for (const r of backend.probe.messages.filter((m) => m.topic === topicFor(SN, 'cmd/res'))) {
      expect(r.qos).toBe(1);
      expect(CommandResponse.safeParse(r.json).success).toBe(true);
    }
  });

  it('sends the full parameter set in 16 KiB parts that reassemble, digest checked, to box.params()', async () => {
    const { box, backend } = await onlineBox({ model: 'MT-BOX-P2' });
    const answer = await backend.call('params.get');
    expect(answer.outcome).toEqual({ ok: true, parts: answer.responses.length, result: box.params() });
    expect(answer.responses.length).toBeGreaterThanOrEqual(3);
    const messages = backend.probe.messages.filter((m) => m.topic === topicFor(SN, 'cmd/res'));
    for (const m of messages) {
      const chunk = CommandChunk.strict().parse(m.json);
      expect(Buffer.byteLength(chunk.data, 'utf8')).toBeLessThanOrEqual(COMMAND_CHUNK_BYTES);
      // Well inside the broker's 64 KiB payload limit even with JSON escaping of the slice.
      expect(m.payload.length).toBeLessThan(24 * 1024);
    }
    expect(Object.keys(box.params())).toHaveLength(Object.keys(factoryParams({ serial: SN, model: 'MT-BOX-P2' }).values).length);
  });

  it('answers params.get for one group in a single message, and unknown-group for a group the box lacks', async () => {
    const { box, backend } = await onlineBox();
    const plc = await backend.call('params.get', { group: 'plc' });
    const expected = Object.fromEntries(Object.entries(box.params()).filter(([name]) => name.startsWith('plc.')));
    expect(plc.outcome).toEqual({ ok: true, parts: 1, result: expected });
    expect(expected).toMatchObject({ 'plc.protocol': 'modbus-rtu', 'plc.stationAddresses': '1,4,22,29' });

    const modem = await backend.call('params.get', { group: 'modem' });
    expect(modem.outcome).toMatchObject({ ok: false, error: { code: 'unknown-group' } });
  });

  it('refuses a params.set with a bad value and an unknown name as a whole, naming both, and changes nothing', async () => {
    const { box, backend } = await onlineBox();
    const before = box.params({ revealSecrets: true });
    const answer = await backend.call('params.set', { changes: { 'report.intervalSec': 20, 'plc.baud': 12345, 'plc.speed': 'fast' } });
    expect(answer.outcome).toEqual({
      ok: false,
      error: {
        code: 'params-refused',
        message: expect.any(String),
        details: { refused: { 'plc.baud': expect.stringMatching(/^must be one of/), 'plc.speed': 'unknown parameter' } },
      },
    });
    expect(box.params({ revealSecrets: true })).toEqual(before);
  });

  it('applies a params.set that the next params.get shows', async () => {
    const { box, backend } = await onlineBox();
    const set = await backend.call('params.set', { changes: { 'plc.baud': 57600, 'plc.parity': 'odd', 'points.3.enabled': false } });
    expect(set.outcome).toEqual({ ok: true, parts: 1, result: { applied: 3 } });
    const plc = await backend.call('params.get', { group: 'plc' });
    expect(plc.outcome).toMatchObject({ ok: true, result: { 'plc.baud': 57600, 'plc.parity': 'odd' } });
    expect(box.params()['points.3.enabled']).toBe(false);
  });

  it('answers a repeated request id with the same answer, all parts of it, and applies the change once', async () => {
    const { box, backend } = await onlineBox();
    await backend.send('params.set', { changes: { 'plc.retries': 6 } }, { id: 'dup-1' });
    await backend.answer('dup-1');
    box.setParams({ 'plc.retries': 2 }); // a technician puts it back on site
    await backend.send('params.set', { changes: { 'plc.retries': 6 } }, { id: 'dup-1' });
    const both = await backend.answer('dup-1', 2);
    expect(both.responses).toEqual([
      { id: 'dup-1', ok: true, result: { applied: 1 } },
      { id: 'dup-1', ok: true, result: { applied: 1 } },
    ]);
    expect(box.params()['plc.retries']).toBe(2);

    await backend.send('params.get', {}, { id: 'dup-2' });
    const first = await backend.answer('dup-2');
    await backend.send('params.get', {}, { id: 'dup-2' });
    const twice = await backend.answer('dup-2', 2);
    expect(twice.responses).toEqual([...first.responses, ...first.responses]);

    const log = await backend.call('log.fetch', { lines: 50 });
    const lines = log.outcome.ok ? (log.outcome.result as { lines: string[] }).lines : [];
    expect(lines.filter((l) => l.includes('changed by command dup-1'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('dup-1 params.set repeated'))).toHaveLength(1);
  });

  it('reboots on request: drops offline, comes back online with the same parameters and uptime counted from the new boot', async () => {
    let now = Date.now();
    const { box, backend } = await onlineBox({ clock: () => now });
    await backend.call('params.set', { changes: { 'report.intervalSec': 5 } });
    now += 3_600_000;
    const before = box.params({ revealSecrets: true });
    const deadline = () => now + 60_000;
    expect((await backend.call('ping', {}, { deadline: deadline() })).outcome).toMatchObject({ result: { uptime: 3600 } });

    await backend.send('reboot', { delayS: 0 }, { id: 'rb-1', deadline: deadline() });
    expect((await backend.answer('rb-1')).outcome).toEqual({ ok: true, parts: 1, result: { rebootingInS: 0 } });
    await backend.waitOffline(); // the will: the box went without DISCONNECT
    await backend.waitOnline(2);
    expect(box.counters).toMatchObject({ reboots: 1, reconnects: 1 });
    expect(box.params({ revealSecrets: true })).toEqual(before);
    expect((await backend.call('ping', {}, { deadline: deadline() })).outcome).toMatchObject({ result: { uptime: 0 } });

    // The same request again (QoS 1 redelivery) is answered, not obeyed.
    await backend.send('reboot', { delayS: 0 }, { id: 'rb-1', deadline: deadline() });
    await backend.answer('rb-1', 2);
    await backend.call('ping', {}, { deadline: deadline() });
    expect(box.counters.reboots).toBe(1);
    expect(box.state).toBe('online');
  });

  it('answers deadline-passed to a request that arrives after its deadline and leaves the box as it was', async () => {
    const { box, backend } = await onlineBox();
    const before = box.params();
    const late = await backend.call('params.set', { changes: { 'plc.baud': 57600 } }, { deadline: Date.now() - 1000 });
    expect(late.outcome).toMatchObject({ ok: false, error: { code: 'deadline-passed' } });
    expect(box.params()).toEqual(before);
  });

  it('answers invalid-args to a request it cannot read but whose id it can, and ignores one without an id', async () => {
    const { backend } = await onlineBox();
    const topic = topicFor(SN, 'cmd/req');
    await backend.probe.publish(topic, 'not json');
    await backend.probe.publish(topic, JSON.stringify({ name: 'ping', args: {}, deadline: Date.now() + 10_000 }));
    await backend.probe.publish(topic, JSON.stringify({ id: 'bad-1', name: 'ping', args: [], deadline: Date.now() + 10_000 }));
    const bad = await backend.answer('bad-1');
    expect(bad.outcome).toMatchObject({ ok: false, error: { code: 'invalid-args', message: expect.stringContaining('args') } });
    await backend.call('ping');
    const answered = backend.probe.messages.filter((m) => m.topic === topicFor(SN, 'cmd/res')).map((m) => (m.json as { id: string }).id);
    expect(answered).toEqual(['bad-1', 'cmd-1']);
  });

  it('reports parameters changed on site and a factory reset, and refuses an invalid on-site change as a whole', async () => {
    const { box, backend } = await onlineBox();
    const factory = box.params();
    box.setParams({ 'network.apn': 'plant7.vpdn', 'system.location': '3号车间' });
    const network = await backend.call('params.get', { group: 'network' });
    expect(network.outcome).toMatchObject({ ok: true, result: { 'network.apn': 'plant7.vpdn' } });
    expect(() => box.setParams({ 'plc.baud': 300, 'report.qos': 1 })).toThrow(
      expect.objectContaining({ code: 'PARAMS_REFUSED', details: { refused: { 'plc.baud': expect.any(String) } } }),
    );
    expect(box.params()['report.qos']).toBe(0);
    box.resetParams();
    const all = await backend.call('params.get');
    expect(all.outcome).toMatchObject({ ok: true, result: factory });
  });

  it('has every box of a started fleet answer commands', async () => {
    const credentials = [1, 2].map((n) => ({ serial: serialFor('MTB2611', n), secret: 's' }));
    const backends = await Promise.all(credentials.map((c) => CommandClient.connect(live.broker.url, c.serial)));
    for (const b of backends) live.defer(() => b.close());
    const fleet = await startFleet({ mqttUrl: live.broker.url, credentials, rate: 0 });
    live.defer(() => fleet.stop({ graceful: false }));
    await Promise.all(backends.map((b) => b.waitOnline()));
    const answers = await Promise.all(backends.map((b) => b.call('params.get', { group: 'network' })));
    fleet.boxes.forEach((box, i) => {
      const network = Object.fromEntries(Object.entries(box.params()).filter(([name]) => name.startsWith('network.')));
      expect(answers[i]?.outcome).toEqual({ ok: true, parts: 1, result: network });
    });
    expect(answers[0]?.outcome).not.toEqual(answers[1]?.outcome);
  });
});
