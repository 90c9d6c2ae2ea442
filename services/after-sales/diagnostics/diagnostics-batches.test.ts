import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { openSqlite, type OpenedSqlite } from '../../platform/db/index.ts';
import { createLogger } from '../../platform/logger.ts';
import { createLiveBus } from '../../remote-support/realtime/index.ts';
import { loadShippedCatalog, loadShippedRules } from './catalog/load-catalog.ts';
import { createDiagnostics, type Diagnostics, type TicketPort } from './diagnostics-service.ts';

const NOW = Date.UTC(2026, 10, 2, 9, 0);

/** A ticket port that cannot open tickets: the fault that needs one is the poison row. */
const failingTickets: TicketPort = {
  closedStates: ['closed'],
  openFromTriage: () => Promise.reject(new Error('ticket store unavailable')),
  note: () => Promise.reject(new Error('ticket store unavailable')),
  attachEvidence: () => Promise.reject(new Error('ticket store unavailable')),
};

describe('triage in batches', () => {
  let dir: ReturnType<typeof tempDir>;
  let opened: OpenedSqlite;
  let diagnostics: Diagnostics;
  const boxes = new Map<string, number>();

  beforeEach(async () => {
    dir = tempDir('mtbox-triage-');
    opened = await openSqlite(dir.path);
    const { db } = opened;
    for (const serial of ['MTB26BATCH001', 'MTB26BATCH002', 'MTB26BATCH003']) {
      const r = await db
        .insertInto('devices')
        .values({ serial, model: 'MT-BOX-4G', firmware: '2.1.0', enabled: 1, secret_hash: 'x', created_at: 0 })
        .executeTakeFirstOrThrow();
      boxes.set(serial, Number(r.insertId));
    }
    diagnostics = createDiagnostics({
      db,
      database: opened,
      clock: () => NOW,
      logger: createLogger('silent'),
      catalog: loadShippedCatalog(),
      rules: loadShippedRules(),
      bus: createLiveBus(),
      tickets: failingTickets,
      async device(id) {
        const d = await db.selectFrom('devices').select(['id', 'serial', 'model', 'firmware']).where('id', '=', id).executeTakeFirst();
        return d ? { ...d, businessLine: null } : null;
      },
    });
  });
  afterEach(async () => {
    await diagnostics.idle();
    await opened.close();
    dir.remove();
  });

  /** A committed fault, as the broker leaves it before its PUBACK. */
  async function storedFault(serial: string, faultId: string, code: string, severity: string): Promise<number> {
    const r = await opened.db
      .insertInto('faults')
      .values({
        device_id: boxes.get(serial)!,
        fault_id: faultId,
        ts: NOW - 1000,
        received_at: NOW - 1000,
        code,
        severity,
        message: null,
        context: null,
        state: 'raised',
        triaged_at: null,
        model: null,
        firmware: null,
      })
      .executeTakeFirstOrThrow();
    return Number(r.insertId);
  }

  const decisionsOf = (serial: string) =>
    opened.db
      .selectFrom('triage_decisions')
      .select(['source_id', 'action', 'target_kind', 'target_id'])
      .where('device_id', '=', boxes.get(serial)!)
      .orderBy('id')
      .execute();

  it("decides a box's second raise into the case its first opened in the same batch", async () => {
    const first = await storedFault('MTB26BATCH001', 'f-1', 'PLC_LINK_DOWN', 'warning');
    const second = await storedFault('MTB26BATCH001', 'f-2', 'PLC_LINK_DOWN', 'warning');
    // Enqueued together, before the first batch starts: it takes both.
    diagnostics.enqueue('fault', first);
    diagnostics.enqueue('fault', second);
    await diagnostics.idle();
    const decisions = await decisionsOf('MTB26BATCH001');
    expect(decisions.map((d) => [d.source_id, d.action])).toEqual([
      [first, 'open-case'],
      [second, 'attach-case'],
    ]);
    expect(decisions[1]!.target_id).toBe(decisions[0]!.target_id);
    expect(diagnostics.stats()).toMatchObject({ decided: 2, failed: 0, pending: 0 });
  });

  it('leaves only a row that fails untriaged; the rows around it in its batch are decided', async () => {
    const rows = [
      await storedFault('MTB26BATCH001', 'f-1', 'PLC_LINK_DOWN', 'warning'),
      // A hardware fault opens an RMA ticket, which this ticket port refuses.
      await storedFault('MTB26BATCH002', 'f-1', 'RADIO_MODULE_DEAD', 'critical'),
      await storedFault('MTB26BATCH003', 'f-1', 'PLC_LINK_DOWN', 'warning'),
      await storedFault('MTB26BATCH001', 'f-2', 'PLC_LINK_DOWN', 'warning'),
    ];
    for (const id of rows) diagnostics.enqueue('fault', id);
    await diagnostics.idle();
    const untriaged = await opened.db.selectFrom('faults').select('id').where('triaged_at', 'is', null).execute();
    expect(untriaged.map((r) => r.id)).toEqual([rows[1]]);
    expect((await decisionsOf('MTB26BATCH001')).map((d) => d.action)).toEqual(['open-case', 'attach-case']);
    expect((await decisionsOf('MTB26BATCH003')).map((d) => d.action)).toEqual(['open-case']);
    expect(await decisionsOf('MTB26BATCH002')).toEqual([]);
    expect(diagnostics.stats()).toMatchObject({ decided: 3, failed: 1, pending: 0 });
  });

  it('decides a row queued twice (live and by resume) once', async () => {
    const id = await storedFault('MTB26BATCH001', 'f-1', 'PLC_LINK_DOWN', 'warning');
    diagnostics.enqueue('fault', id);
    expect(await diagnostics.resume()).toBe(1);
    await diagnostics.idle();
    expect((await decisionsOf('MTB26BATCH001')).map((d) => d.source_id)).toEqual([id]);
  });
});
