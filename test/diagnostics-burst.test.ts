import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish, startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

const BOXES = 12;
const RAISES = 5;

describe('a burst of faults from many boxes at once', () => {
  let backend: TestBackend;
  const clients: MqttClient[] = [];
  const serials: string[] = [];

  beforeAll(async () => {
    backend = await startTestBackend();
    const creds = await backend.app.provision(Array.from({ length: BOXES }, (_, i) => `MTB26BURST${String(i).padStart(3, '0')}`));
    for (const [i, c] of creds.entries()) {
      const client = await connectBox(backend.mqttUrl, c.serial, c.secret, { announce: false });
      // A firmware each, so fleet correlation does not fold the boxes into one incident.
      await publish(client, topicFor(c.serial, 'status'), { state: 'online', fw: `2.${i}.0`, model: 'MT-BOX-4G', ts: Date.now() });
      clients.push(client);
      serials.push(c.serial);
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await backend.stop();
  });

  it('decides every fault exactly once, per box in the order sent, each seeing the case the one before opened', async () => {
    // Every box sends all its raises without waiting, all boxes at once.
    await Promise.all(
      clients.flatMap((client, b) =>
        Array.from({ length: RAISES }, (_, k) =>
          publish(client, topicFor(serials[b]!, 'fault'), { id: `burst-${k}`, ts: Date.now(), code: 'PLC_LINK_DOWN', severity: 'warning' }),
        ),
      ),
    );
    const { db } = backend.app;
    const decisions = await waitFor(
      async () => {
        const rows = await db
          .selectFrom('triage_decisions as t')
          .innerJoin('faults as f', 'f.id', 't.source_id')
          .innerJoin('devices as d', 'd.id', 't.device_id')
          .select(['d.serial', 'f.fault_id', 't.source_id', 't.action', 't.target_id'])
          .where('t.source', '=', 'fault')
          .orderBy('t.id')
          .execute();
        return rows.length >= BOXES * RAISES ? rows : null;
      },
      { what: 'a decision for every fault of the burst', timeoutMs: 30_000 },
    );
    expect(decisions).toHaveLength(BOXES * RAISES);
    expect(new Set(decisions.map((d) => d.source_id)).size).toBe(BOXES * RAISES);
    for (const serial of serials) {
      const mine = decisions.filter((d) => d.serial === serial);
      expect(mine.map((d) => d.fault_id)).toEqual(Array.from({ length: RAISES }, (_, k) => `burst-${k}`));
      expect(mine.map((d) => d.action)).toEqual(['open-case', ...Array.from({ length: RAISES - 1 }, () => 'attach-case')]);
      expect(new Set(mine.map((d) => d.target_id)).size).toBe(1);
    }
    const untriaged = await db.selectFrom('faults').select('id').where('triaged_at', 'is', null).execute();
    expect(untriaged).toEqual([]);
  });
});
