import { describe, expect, it } from 'vitest';
import { CORE_METRICS, CommandResponse, FaultPayload, StatusPayload, TelemetryPayload } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import { SimBox, type SimBoxOptions } from './box.ts';
import { useTestBroker } from './test-support/aedes-broker.ts';
import { MqttProbe, type ProbeMessage } from './test-support/mqtt-probe.ts';

const SN = 'MTB2611000001';
const live = useTestBroker();

function newBox(options: Partial<SimBoxOptions> = {}): SimBox {
  const box = new SimBox({ serial: SN, secret: 'secret-1', mqttUrl: live.broker.url, backoff: { baseMs: 20, maxMs: 100 }, ...options });
  live.defer(() => box.stop({ graceful: false }));
  return box;
}

async function probe(filter: string | string[]): Promise<MqttProbe> {
  const p = await MqttProbe.connect(live.broker.url, filter);
  live.defer(() => p.close());
  return p;
}

const status = (state: 'online' | 'offline') => (m: ProbeMessage) =>
  m.topic === topicFor(SN, 'status') && StatusPayload.safeParse(m.json).data?.state === state;

describe('SimBox', () => {
  it('publishes a retained online status and telemetry that parses with the contract schemas', async () => {
    const watcher = await probe([topicFor(SN, 'status'), topicFor(SN, 'telemetry')]);
    const box = newBox({ model: 'MT-BOX-P2', firmware: '3.2.1' });
    box.start();
    await box.waitOnline();
    expect(box.publishTelemetry()).toBe(true);
    expect(box.publishTelemetry()).toBe(true);

    const [online] = await watcher.waitFor(status('online'));
    expect(StatusPayload.parse(online?.json)).toMatchObject({ state: 'online', fw: '3.2.1', model: 'MT-BOX-P2' });
    const samples = await watcher.waitFor((m) => m.topic === topicFor(SN, 'telemetry'), 2);
    const parsed = samples.map((m) => TelemetryPayload.parse(m.json));
    expect(parsed.map((t) => t.seq)).toEqual([0, 1]);
    for (const t of parsed) {
      expect(Object.keys(t.metrics).sort()).toEqual([...CORE_METRICS].sort());
      expect(t.metrics.plc_link).toBe(1);
      expect(t.metrics.supply_voltage).toBeGreaterThan(22);
      expect(t.metrics.supply_voltage).toBeLessThan(26);
      expect(t.metrics.rssi).toBeGreaterThanOrEqual(-100);
      expect(t.metrics.rssi).toBeLessThanOrEqual(-60);
    }

    const late = await probe(topicFor(SN, 'status'));
    const [retained] = await late.waitFor(status('online'));
    expect(retained?.retain).toBe(true);
  });

  it('leaves a retained offline status, its will, when killed without DISCONNECT', async () => {
    const watcher = await probe(topicFor(SN, 'status'));
    const box = newBox();
    box.start();
    await watcher.waitFor(status('online'));
    await box.kill();

    const [will] = await watcher.waitFor(status('offline'));
    expect(will?.json).toEqual({ state: 'offline' });
    const late = await probe(topicFor(SN, 'status'));
    const [retained] = await late.waitFor(status('offline'));
    expect(retained).toMatchObject({ retain: true, json: { state: 'offline' } });
  });

  it('says goodbye with a timestamped offline status when stopped gracefully, and no will follows', async () => {
    const watcher = await probe(topicFor(SN, 'status'));
    const box = newBox();
    box.start();
    await watcher.waitFor(status('online'));
    await box.stop({ graceful: true });
    box.start();
    // The second online status comes after anything the broker did about the first session.
    await watcher.waitFor(status('online'), 2);
    const states = watcher.messages.map((m) => StatusPayload.parse(m.json));
    expect(states.map((s) => s.state)).toEqual(['online', 'offline', 'online']);
    expect(states[1]?.ts).toEqual(expect.any(Number));
  });

  it('delivers each raised fault once with QoS 1 and an id that stays unique across restarts', async () => {
    const watcher = await probe(topicFor(SN, 'fault'));
    const box = newBox();
    box.start();
    await box.waitOnline();
    const first = box.raiseFault({ code: 'SUPPLY_UNDERVOLTAGE', severity: 'error', message: 'supply below 19 V', context: { v: 18.7 } });
    const second = box.raiseFault({ code: 'BOARD_TEMP_HIGH', severity: 'warning' });
    // Same topic and QoS from one client arrive in order [MQTT-4.6.0-2]: once the second
    // is here, a duplicate of the first would have been too.
    await watcher.waitFor((m) => FaultPayload.safeParse(m.json).data?.id === second);
    const firsts = watcher.messages.filter((m) => FaultPayload.safeParse(m.json).data?.id === first);
    expect(firsts).toHaveLength(1);
    expect(firsts[0]?.qos).toBe(1);
    expect(FaultPayload.parse(firsts[0]?.json)).toMatchObject({ code: 'SUPPLY_UNDERVOLTAGE', severity: 'error', context: { v: 18.7 } });

    const bootBefore = box.bootId;
    await box.stop();
    box.start();
    await box.waitOnline();
    const afterRestart = box.raiseFault({ code: 'BOARD_TEMP_HIGH', severity: 'warning' });
    await watcher.waitFor((m) => FaultPayload.safeParse(m.json).data?.id === afterRestart);
    expect(box.bootId).not.toBe(bootBefore);
    expect(new Set([first, second, afterRestart]).size).toBe(3);
  });

  it('keeps a fault raised while its link is down and delivers it after reconnecting with back-off', async () => {
    const watcher = await probe(topicFor(SN, 'fault'));
    const box = newBox();
    box.start();
    await box.waitOnline();
    box.dropLink();
    const id = box.raiseFault({ code: 'PLC_LINK_DOWN', severity: 'warning' });

    const [delivered] = await watcher.waitFor((m) => FaultPayload.safeParse(m.json).data?.id === id);
    expect(delivered?.qos).toBe(1);
    await box.waitOnline();
    expect(box.counters.reconnects).toBe(1);
  });

  it('answers ping with ok and any other command with unknown-command', async () => {
    const watcher = await probe([topicFor(SN, 'status'), topicFor(SN, 'cmd/res')]);
    const box = newBox();
    box.start();
    // The SUBSCRIBE went out before the status, so once the status is here the box listens.
    await watcher.waitFor(status('online'));
    const deadline = Date.now() + 60_000;
    await watcher.publish(topicFor(SN, 'cmd/req'), JSON.stringify({ id: 'c-1', name: 'ping', args: {}, deadline }));
    await watcher.publish(topicFor(SN, 'cmd/req'), JSON.stringify({ id: 'c-2', name: 'firmware.flash', args: {}, deadline }));

    const answers = await watcher.waitFor((m) => m.topic === topicFor(SN, 'cmd/res'), 2);
    const byId = new Map(answers.map((m) => CommandResponse.parse(m.json)).map((r) => [r.id, r]));
    expect(byId.get('c-1')).toMatchObject({ ok: true });
    expect(byId.get('c-2')).toMatchObject({ id: 'c-2', ok: false, error: { code: 'unknown-command' } });
    expect(box.counters.commands).toBe(2);
  });

  it('keeps retrying a refused login with back-off and says why it is not online', async () => {
    live.broker.broker.authenticate = (_client, _username, _password, done) => {
      done(Object.assign(new Error('bad secret'), { returnCode: 4 }), false);
    };
    const box = newBox();
    box.start();
    await expect(box.waitOnline(300)).rejects.toThrow(/not online within 300 ms.*Bad username or password/);
    expect(box.counters.connectErrors).toBeGreaterThan(1);
  });

  it('sends nothing and says so when telemetry is due before the box is online', () => {
    const box = newBox();
    expect(box.publishTelemetry()).toBe(false);
    expect(() => box.raiseFault({ code: 'BOARD_TEMP_HIGH', severity: 'info' })).toThrow(expect.objectContaining({ code: 'BOX_NOT_STARTED' }));
  });
});
