import { sql, type Selectable } from 'kysely';
import type { Db, OrganisationTable } from '../../../platform/db/index.ts';
import { containsText, dialectOf } from '../../../platform/db/index.ts';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { Contact, type Organisation } from '../domain/organisation.ts';
import type { OrganisationStore } from '../domain/organisation-ports.ts';

type Row = Selectable<OrganisationTable> & { device_count: number | string | bigint };

function parseContacts(text: string): Contact[] {
  const parsed = Contact.array().safeParse(JSON.parse(text));
  // The migration copies the registry's free text, which may lack a name: keep what parses.
  if (parsed.success) return parsed.data;
  const raw: unknown = JSON.parse(text);
  return Array.isArray(raw)
    ? raw.flatMap((c) => {
        const one = Contact.safeParse(c);
        return one.success ? [one.data] : [];
      })
    : [];
}

function toOrganisation(row: Row): Organisation {
  const line = BusinessLine.safeParse(row.business_line);
  return {
    id: row.id,
    name: row.name,
    businessLine: line.success ? line.data : null,
    contacts: parseContacts(row.contacts),
    deviceCount: Number(row.device_count),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

// The drivers' codes for a unique index refusing a row: better-sqlite3's, then PostgreSQL's SQLSTATE.
const UNIQUE_VIOLATION_CODES: ReadonlySet<unknown> = new Set(['SQLITE_CONSTRAINT_UNIQUE', '23505']);

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && UNIQUE_VIOLATION_CODES.has(err.code);
}

/** Runs a write whose only expected failure is a name taken by another organisation. */
async function unlessNameTaken<T>(write: () => Promise<T>): Promise<T | 'ORGANISATION_EXISTS'> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) return 'ORGANISATION_EXISTS';
    throw err;
  }
}

export function createOrganisationStore(db: Db): OrganisationStore {
  const withCount = () =>
    db
      .selectFrom('organisations')
      .selectAll('organisations')
      .select((eb) =>
        eb
          .selectFrom('devices')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('devices.organisation_id', '=', 'organisations.id')
          .as('device_count'),
      );
  const get = async (id: number) => {
    const row = await withCount().where('organisations.id', '=', id).executeTakeFirst();
    return row ? toOrganisation(row as Row) : null;
  };

  return {
    get,

    async findByName(name) {
      const row = await withCount().where(sql`lower(organisations.name)`, '=', name.trim().toLowerCase()).executeTakeFirst();
      return row ? toOrganisation(row as Row) : null;
    },

    async create(input, now) {
      const inserted = await unlessNameTaken(() =>
        db
          .insertInto('organisations')
          .values({
            name: input.name,
            business_line: input.businessLine ?? null,
            contacts: JSON.stringify(input.contacts ?? []),
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      if (inserted === 'ORGANISATION_EXISTS') return { ok: false, error: inserted };
      const organisation = await get(inserted.id);
      return organisation ? { ok: true, organisation } : { ok: false, error: 'ORGANISATION_NOT_FOUND' };
    },

    async update(id, patch, now) {
      const result = await unlessNameTaken(() =>
        db
          .updateTable('organisations')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.businessLine !== undefined ? { business_line: patch.businessLine } : {}),
            ...(patch.contacts !== undefined ? { contacts: JSON.stringify(patch.contacts) } : {}),
            updated_at: now,
          })
          .where('id', '=', id)
          .executeTakeFirst(),
      );
      if (result === 'ORGANISATION_EXISTS') return { ok: false, error: result };
      const organisation = Number(result.numUpdatedRows) > 0 ? await get(id) : null;
      return organisation ? { ok: true, organisation } : { ok: false, error: 'ORGANISATION_NOT_FOUND' };
    },

    async list({ q, limit, after }) {
      let query = withCount();
      if (q) query = query.where(containsText('organisations.name', q, dialectOf(db)));
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('organisations.name', '>', after.name),
            eb.and([eb('organisations.name', '=', after.name), eb('organisations.id', '>', after.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('organisations.name')
        .orderBy('organisations.id')
        .limit(limit + 1)
        .execute();
      return rows.map((r) => toOrganisation(r as Row));
    },

    assignDevices: (id, serials) => assignDevices(db, id, serials),

    async releaseDevice(id, serial) {
      const result = await db
        .updateTable('devices')
        .set({ organisation_id: null })
        .where('serial', '=', serial)
        .where('organisation_id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async users(id) {
      const rows = await db
        .selectFrom('users')
        .select(['username', 'enabled', 'created_at'])
        .where('organisation_id', '=', id)
        .where('role', '=', 'customer')
        .orderBy('username')
        .execute();
      return rows.map((r) => ({ username: r.username, enabled: r.enabled === 1, createdAt: Number(r.created_at) }));
    },
  };
}

/** Links known boxes to the organisation in one transaction; answers the serials not registered. */
function assignDevices(db: Db, id: number, serials: readonly string[]) {
  return db.transaction().execute(async (tx) => {
    const known = await tx
      .selectFrom('devices')
      .select('serial')
      .where('serial', 'in', [...serials])
      .execute();
    const knownSet = new Set(known.map((r) => r.serial));
    if (knownSet.size > 0) {
      await tx
        .updateTable('devices')
        .set({ organisation_id: id })
        .where('serial', 'in', [...knownSet])
        .execute();
    }
    return { assigned: knownSet.size, unknown: serials.filter((s) => !knownSet.has(s)) };
  });
}
