import { describe, expect, it } from 'vitest';
import { EventPayload, FaultPayload, TelemetryPayload } from '../../services/contract/payloads.ts';
import { parseTopic } from '../../services/contract/topics.ts';
import { Fleet } from '../fleet.ts';
import { createRandom } from '../prng.ts';
import { useTestBroker } from '../test-support/aedes-broker.ts';
import { fakeTime } from '../test-support/fake-time.ts';
import { MqttProbe, type ProbeMessage } from '../test-support/mqtt-probe.ts';
import { BAD_PAYLOAD_KINDS, badPayload, badPayloads, type BadPayloadKind } from './bad-payloads.ts';

const SN = 'MTB2611000001';
const NOW = Date.UTC(2026, 10, 2, 6, 0, 0);
// The backend's defaults (services/platform/config.ts): 64 KiB payloads, 24 h of clock skew.
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_FUTURE_SKEW_MS = 24 * 3_600_000;

const SCHEMAS = { telemetry: TelemetryPayload, fault: FaultPayload, event: EventPayload } as const;

/** Why the backend would refuse this message, judged with the contract alone; null if it is valid. */
function rejection(topic: string, payload: Buffer, now: number): BadPayloadKind | null {
  const parsed = parseTopic(topic);
  if (!parsed) return 'unknown-topic';
  if (payload.length > MAX_PAYLOAD_BYTES) return 'too-large';
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'invalid-json';
  }
  const schema = SCHEMAS[parsed.channel as keyof typeof SCHEMAS];
  const result = schema?.safeParse(body);
  if (!result?.success) return 'schema';
  if (result.data.ts > now + MAX_FUTURE_SKEW_MS) return 'future-timestamp';
  return null;
}

const topicOf = (target: string) => (target.includes('/') ? target : `mtbox/${SN}/${target}`);

describe('bad-payloads scenario', () => {
  it.each(BAD_PAYLOAD_KINDS)('builds a %s message that the contract rejects for exactly that reason', (kind) => {
    const random = createRandom(1);
    for (let i = 0; i < 8; i++) {
      const message = badPayload(kind, SN, NOW, random);
      expect(rejection(topicOf(message.target), Buffer.from(message.payload), NOW)).toBe(kind);
    }
  });

  describe('on a live fleet', () => {
    const live = useTestBroker();

    it('sends each kind of bad message in turn between valid telemetry', async () => {
      const time = fakeTime(NOW);
      const watcher = await MqttProbe.connect(live.broker.url, 'mtbox/#');
      live.defer(() => watcher.close());
      const fleet = new Fleet({
        mqttUrl: live.broker.url,
        credentials: [{ serial: SN, secret: 's' }],
        rate: 1,
        rampMs: 0,
        clock: time.clock,
        timers: time.timers,
        scenarios: [badPayloads({ everyMs: 2_000, kinds: BAD_PAYLOAD_KINDS })],
      });
      live.defer(() => fleet.stop({ graceful: false }));
      await fleet.start();
      await fleet.waitAllOnline();

      time.advance(10_000);
      const isTraffic = (m: ProbeMessage) => !m.topic.endsWith('/status');
      // 10 valid samples plus one bad message every 2 s.
      const traffic = await watcher.waitFor(isTraffic, 10 + BAD_PAYLOAD_KINDS.length);
      const verdicts = traffic.map((m) => rejection(m.topic, m.payload, time.clock()));
      expect(verdicts.filter((v) => v === null)).toHaveLength(10);
      expect(verdicts.filter((v) => v !== null).sort()).toEqual([...BAD_PAYLOAD_KINDS].sort());
      // Interleaved: valid samples keep flowing between the bad ones.
      const bad = verdicts.flatMap((v, i) => (v === null ? [] : [i]));
      for (let j = 1; j < bad.length; j++) expect((bad[j] ?? 0) - (bad[j - 1] ?? 0)).toBeGreaterThan(1);
      expect(fleet.boxes[0]?.counters.raw).toBe(BAD_PAYLOAD_KINDS.length);
    });
  });
});
