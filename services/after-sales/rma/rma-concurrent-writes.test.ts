import path from 'node:path';
import { databaseEachTest } from '../../../test/helpers/database-each-test.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/app-error.ts';
import { createLogger } from '../../platform/logger.ts';
import { createLiveBus } from '../../remote-support/realtime/index.ts';
import { calendarFileStore, openCalendarService } from '../calendar/index.ts';
import { listRepairedParts, recordRepairedParts } from '../warranty/index.ts';
import { createRmaService, type RmaService } from './rma-service.ts';

/*
 * RMA writes that race, as they do on PostgreSQL (several connections, several nodes): two
 * openings for one box, several notes on one ticket. Each reads, decides and writes back, so
 * without the locks a second ticket would open and a note would be lost. On SQLite the
 * transactions queue on its one connection and the same answers come back.
 */

const NOW = Date.UTC(2026, 10, 2, 9, 0);
const STAFF = { username: 'after-sales-user', role: 'after-sales' } as const;
const SERIAL = 'MTB26RACE0001';

const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : r.status);

describe('concurrent writes of one RMA ticket', () => {
  const scratch = databaseEachTest();
  let rma: RmaService;

  beforeEach(async () => {
    await scratch.db
      .insertInto('devices')
      .values({ serial: SERIAL, model: 'MT-BOX-4G', firmware: '2.1.0', enabled: 1, secret_hash: 'x', created_at: 0 })
      .execute();
    const logger = createLogger('silent');
    const clock = () => NOW;
    rma = createRmaService({
      db: scratch.db,
      clock,
      logger,
      bus: createLiveBus(),
      calendar: await openCalendarService({ store: calendarFileStore(path.join(scratch.dataDir, 'calendar.json')), logger, clock }),
      repairedParts: { list: listRepairedParts, record: recordRepairedParts },
      backups: { newest: () => Promise.resolve(null) },
    });
  });

  it('opens one ticket when two people open one for the same box at once; the other is told it is open', async () => {
    const outcomes = await Promise.allSettled([rma.open({ serial: SERIAL }, STAFF), rma.open({ serial: SERIAL }, STAFF)]);

    expect(outcomes.map(codeOf).sort()).toEqual(['RMA_ALREADY_OPEN', 'fulfilled']);
    expect((await rma.list({ serial: SERIAL, limit: 10 })).map((t) => t.ticket.form.previousRepairs)).toEqual([0]);
  });

  it('keeps every one of several notes added to one ticket at once', async () => {
    const { id } = await rma.open({ serial: SERIAL }, STAFF);
    const texts = Array.from({ length: 8 }, (_, i) => `note ${i}`);

    await Promise.all(texts.map((text) => rma.addNote(id, text, STAFF)));

    expect((await rma.get(id)).notes.map((n) => n.text).sort()).toEqual(texts);
  });
});
