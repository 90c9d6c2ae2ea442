import { sql } from 'kysely';
import type { Db } from '../../../platform/db/index.ts';
import type { NewDevice } from '../domain/device.ts';
import type { CreatedOrganisation } from '../domain/registry-port.ts';

/*
 * The registry's customer text names an organisation (migration 0009 turned the text into
 * links): an import links each box to the organisation of its customer name, without regard
 * to case, and records the organisation from the row when none has that name yet.
 */

export async function organisationExists(db: Db, id: number): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function organisationName(db: Db, id: number): Promise<string | null> {
  const row = await db.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name ?? null;
}

/** The contacts an organisation starts with: the row's contact person, when it names one. */
function contactsOf(customer: NonNullable<NewDevice['customer']>): string {
  if (!customer.contacts) return '[]';
  return JSON.stringify([
    {
      name: customer.contacts,
      ...(customer.phone ? { phone: customer.phone } : {}),
      ...(customer.address ? { address: customer.address } : {}),
    },
  ]);
}

/**
 * Finds or creates the organisation of every distinct customer name in `inputs`, inside the
 * caller's transaction. Answers the name (lower case) → organisation map and those created.
 */
export async function resolveOrganisations(
  trx: Db,
  inputs: readonly NewDevice[],
  now: number,
): Promise<{ byName: Map<string, CreatedOrganisation>; created: CreatedOrganisation[] }> {
  const byName = new Map<string, CreatedOrganisation>();
  const created: CreatedOrganisation[] = [];
  for (const input of inputs) {
    const customer = input.customer;
    if (!customer || input.organisationId !== undefined) continue;
    const key = customer.name.toLowerCase();
    if (byName.has(key)) continue;
    const found = await trx
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where(sql`lower(name)`, '=', sql`lower(${customer.name})`)
      .executeTakeFirst();
    if (found) {
      byName.set(key, found);
      continue;
    }
    const inserted = await trx
      .insertInto('organisations')
      .values({ name: customer.name, business_line: customer.businessLine, contacts: contactsOf(customer), created_at: now, updated_at: now })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    byName.set(key, inserted);
    created.push(inserted);
  }
  return { byName, created };
}
