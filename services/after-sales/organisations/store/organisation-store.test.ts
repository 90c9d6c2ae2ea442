import { describe, expect, it } from 'vitest';
import { databaseEachTest } from '../../../../test/helpers/database-each-test.ts';
import { createOrganisationStore } from './organisation-store.ts';

/*
 * What the organisation store promises on whichever database the project runs: names are
 * unique and found without regard to case (PostgreSQL's LIKE and unique errors differ from SQLite's).
 */

const NOW = Date.UTC(2026, 10, 2, 9, 0);

describe('the organisation store', () => {
  const scratch = databaseEachTest();

  it('refuses a second organisation whose name differs only in case, and finds names by any part in any case', async () => {
    const orgs = createOrganisationStore(scratch.db);
    const wuxi = await orgs.create({ name: 'Wuxi Water' }, NOW);
    await orgs.create({ name: 'Suzhou 100% Metro' }, NOW);
    expect(wuxi.ok).toBe(true);

    expect(await orgs.create({ name: 'WUXI WATER' }, NOW)).toEqual({ ok: false, error: 'ORGANISATION_EXISTS' });
    expect((await orgs.list({ q: 'water', limit: 10 })).map((o) => o.name)).toEqual(['Wuxi Water']);
    expect((await orgs.list({ q: '100%', limit: 10 })).map((o) => o.name)).toEqual(['Suzhou 100% Metro']);
    expect((await orgs.findByName(' wuxi water '))?.name).toBe('Wuxi Water');
  });
});
