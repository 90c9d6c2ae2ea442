import { beforeEach, describe, expect, it } from 'vitest';
import { databaseEachTest } from '../../../test/helpers/database-each-test.ts';
import { AppError } from '../../kernel/app-error.ts';
import { createLogger } from '../../platform/logger.ts';
import { createLiveBus, type LiveEvent } from '../../remote-support/realtime/index.ts';
import { dueDeadlines } from '../scheduler/index.ts';
import { createPlatformService, type PlatformService } from './platform-service.ts';

/*
 * Changes of one ticket that race, as they do on PostgreSQL (several connections, several
 * nodes): each reads the ticket, decides in the domain and writes it back, so without the
 * row lock the later write would silently undo the earlier one. On SQLite the transactions
 * queue on its one connection and the same answers come back.
 */

const NOW = Date.UTC(2026, 10, 2, 9, 0);
const HOUR = 3600_000;
const STAFF = { username: 'after-sales-user', role: 'after-sales' } as const;
const FORM = {
  project: 'Wuxi smart water',
  reporter: 'Li Wei',
  contact: '0510-12345678',
  description: 'Dashboard shows no data since 08:00; nginx returns 502',
  severity: 'high',
  occurredAt: NOW - HOUR,
} as const;

const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : r.status);

describe('concurrent changes of one platform ticket', () => {
  const scratch = databaseEachTest();
  let now: number;
  let events: LiveEvent[];
  let platform: PlatformService;

  beforeEach(async () => {
    now = NOW;
    events = [];
    const bus = createLiveBus();
    bus.subscribe((e) => events.push(e));
    platform = createPlatformService({ db: scratch.db, clock: () => now, logger: createLogger('silent'), bus });
  });

  it('lets one of two moves out of the same state win; the other is refused as an invalid move, and nothing is lost', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map(async () => (await platform.submit(FORM, STAFF)).id));
    const raced = await Promise.all(
      ids.map((id) =>
        Promise.allSettled([
          platform.transition(id, { to: 'confirmed', reason: 'within maintenance' }, STAFF),
          platform.transition(
            id,
            {
              to: 'out-of-scope',
              reason: 'self-installed software',
              payload: { basis: { kind: 'exclusion', exclusion: 'self-installed-software' } },
            },
            STAFF,
          ),
        ]),
      ),
    );
    for (const [i, outcomes] of raced.entries()) {
      const codes = outcomes.map(codeOf).sort();
      expect(codes).toEqual(['PLATFORM_TICKET_INVALID_TRANSITION', 'fulfilled']);
      const winner = outcomes.findIndex((r) => r.status === 'fulfilled');
      const stored = await platform.get(ids[i]!);
      // The stored ticket is the winner's, and its trail names one move only.
      expect(stored.ticket.state).toBe(winner === 0 ? 'confirmed' : 'out-of-scope');
      expect(stored.audit.filter((a) => a.from === 'submitted').map((a) => a.to)).toEqual([stored.ticket.state]);
    }
  });

  it('fires a due deadline once when two schedulers fire it at the same time', async () => {
    const { id } = await platform.submit(FORM, STAFF);
    await platform.transition(id, { to: 'confirmed', reason: 'within maintenance' }, STAFF);
    await platform.transition(id, { to: 'repairing', reason: 'agreed', payload: { solution: 'restart nginx', agreedBy: NOW + HOUR } }, STAFF);
    now = NOW + 2 * HOUR;
    const [due] = await dueDeadlines(scratch.db, now, 10);
    expect(due).toMatchObject({ entityKind: 'platform', entityId: id });

    await Promise.all([platform.fire(due!), platform.fire(due!)]);

    expect(events.filter((e) => e.type === 'platform-ticket.deadline-fired').map((e) => e.id)).toEqual([id]);
    expect(await dueDeadlines(scratch.db, now, 10)).toEqual([]);
    const stored = await platform.get(id);
    // One firing tells after-sales and the engineer once each.
    expect(stored.notifications.filter((n) => n.topic === 'repair-overdue').map((n) => n.audience)).toEqual(['after-sales', 'engineer']);
  });
});
