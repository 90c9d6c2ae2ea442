import { type Compilable, sql } from 'kysely';
import { databaseEachTest } from '../../../../test/helpers/database-each-test.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/helpers/wait-for.ts';
import type { NewDevice } from '../domain/device.ts';
import type { DeviceFilter, DeviceRegistry } from '../domain/registry-port.ts';
import { createDeviceRegistry } from './device-store.ts';

/*
 * The registry's SQL on the database the project runs (SQLite, or PostgreSQL in the postgres
 * project): the list filters that SQL writes differently per database, and imports racing
 * another transaction, which only PostgreSQL lets happen.
 */

const TODAY = '2026-06-01';
const box = (serial: string, over: Partial<NewDevice> = {}): NewDevice => ({ serial, model: 'MT-BOX-4G', ...over });
const acme = (name: string): NewDevice['customer'] => ({ name, businessLine: 'smart-factory' });

describe('the device registry', () => {
  const scratch = databaseEachTest();
  let registry: DeviceRegistry;

  beforeEach(async () => {
    registry = createDeviceRegistry(scratch.db);
  });

  const serialsOf = async (filter: Omit<DeviceFilter, 'today'>) => (await registry.list({ today: TODAY, ...filter })).map((d) => d.serial);

  it('finds boxes by part of their serial, model or customer in any ASCII case, and a percent sign literally', async () => {
    await registry.createMany(
      [
        { input: box('MTB26REG0001', { customer: acme('Acme Works') }), secretHash: 'h' },
        { input: box('MTB26REG0002', { model: 'MT-BOX-WIFI' }), secretHash: 'h' },
        { input: box('MTB26REG0003', { customer: acme('100% Steel') }), secretHash: 'h' },
      ],
      1,
    );
    expect(await serialsOf({ search: 'acme' })).toEqual(['MTB26REG0001']);
    expect(await serialsOf({ search: 'mtb26reg0002' })).toEqual(['MTB26REG0002']);
    expect(await serialsOf({ search: 'wifi' })).toEqual(['MTB26REG0002']);
    expect(await serialsOf({ customer: 'WORKS' })).toEqual(['MTB26REG0001']);
    expect(await serialsOf({ search: '%' })).toEqual(['MTB26REG0003']);
  });

  it('keeps the boxes of a list of serials, and the online or offline boxes of a list of ids', async () => {
    const created = await registry.createMany(
      ['MTB26REG0011', 'MTB26REG0012', 'MTB26REG0013'].map((serial) => ({ input: box(serial), secretHash: 'h' })),
      1,
    );
    if (!created.ok) throw new Error('import refused');
    const [first, , third] = created.devices;
    expect(await serialsOf({ serials: ['MTB26REG0013', 'MTB26REG0011', 'MTB26NOSUCH1'] })).toEqual(['MTB26REG0011', 'MTB26REG0013']);
    expect(await serialsOf({ serials: [] })).toEqual([]);
    const onlineIds = [first?.id ?? 0, third?.id ?? 0];
    expect(await serialsOf({ presence: { onlineIds, online: true } })).toEqual(['MTB26REG0011', 'MTB26REG0013']);
    expect(await serialsOf({ presence: { onlineIds, online: false } })).toEqual(['MTB26REG0012']);
    expect(await serialsOf({ presence: { onlineIds: [], online: false } })).toHaveLength(3);
  });

  it('refuses at CONNECT a box disabled or given a new secret through another node', async () => {
    await registry.create(box('MTB26NODE0001'), 'old', 1);
    expect(await registry.credentials('MTB26NODE0001')).toMatchObject({ enabled: true, secretHash: 'old' });
    // PostgreSQL is shared by nodes, each with its registry; on SQLite this process is the only one.
    const otherNode = scratch.opened.dialect === 'postgres' ? createDeviceRegistry(scratch.db) : registry;
    expect(await otherNode.setSecretHash('MTB26NODE0001', 'new')).toBe(true);
    expect(await otherNode.setEnabled('MTB26NODE0001', false)).toBe(true);
    expect(await registry.credentials('MTB26NODE0001')).toMatchObject({ enabled: false, secretHash: 'new' });
  });

  /**
   * Writes `query` in a transaction of its own that commits when the returned function is
   * called, once the registry's transaction waits for it. SQLite runs one transaction at a time,
   * so there it is committed before the registry's starts.
   */
  async function committedWhileWaiting(query: Compilable): Promise<() => Promise<void>> {
    if (scratch.opened.dialect === 'sqlite') {
      await scratch.db.executeQuery(query.compile());
      return async () => {};
    }
    const client = await scratch.opened.pool.connect();
    const compiled = query.compile();
    await client.query('begin');
    await client.query(compiled.sql, [...compiled.parameters]);
    return async () => {
      // The registry's insert waits on the row lock of the uncommitted one: the race, for sure.
      await waitFor(
        async () =>
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(scratch.db)
          ).rows[0]?.n,
        {
          what: 'the import to wait for the other transaction',
        },
      );
      await client.query('commit');
      client.release();
    };
  }

  it('answers DEVICE_EXISTS to an import whose serial another transaction committed while it ran', async () => {
    const commit = await committedWhileWaiting(
      scratch.db.insertInto('devices').values({ serial: 'MTB26RACE0009', model: 'MT-BOX-4G', enabled: 1, secret_hash: 'h', created_at: 1 }),
    );
    const importing = registry.createMany(
      ['MTB26RACE0001', 'MTB26RACE0009'].map((serial) => ({ input: box(serial), secretHash: 'h' })),
      1,
    );
    await commit();
    expect(await importing).toEqual({ ok: false, error: { code: 'DEVICE_EXISTS', serials: ['MTB26RACE0009'] } });
    expect(await serialsOf({})).toEqual(['MTB26RACE0009']);
  });

  it('links an import to the organisation another transaction created under its customer name while it ran', async () => {
    const commit = await committedWhileWaiting(
      scratch.db
        .insertInto('organisations')
        .values({ name: 'Harbour Co', business_line: 'smart-logistics', contacts: '[]', created_at: 1, updated_at: 1 }),
    );
    const importing = registry.createMany([{ input: box('MTB26ORGR0001', { customer: acme('HARBOUR CO') }), secretHash: 'h' }], 1);
    await commit();
    const result = await importing;
    const organisations = await scratch.db.selectFrom('organisations').select(['id', 'name']).execute();
    expect(organisations).toEqual([{ id: expect.any(Number), name: 'Harbour Co' }]);
    expect(result).toMatchObject({ ok: true, organisationsCreated: [], devices: [{ organisation: organisations[0] }] });
  });
});
