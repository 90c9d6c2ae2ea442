import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/index.ts';
import type { RepairedPart } from '../domain/warranty.ts';

/** Parts repaired or replaced on a box; each carries its own one-year warranty. */
export async function listRepairedParts(db: Kysely<Database>, deviceId: number): Promise<RepairedPart[]> {
  const rows = await db
    .selectFrom('repaired_parts')
    .select(['part', 'repaired_on'])
    .where('device_id', '=', deviceId)
    .orderBy('repaired_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ part: r.part, repairedOn: r.repaired_on }));
}

export async function recordRepairedParts(
  db: Kysely<Database>,
  deviceId: number,
  ticketId: number,
  parts: readonly string[],
  repairedOn: string,
): Promise<void> {
  if (parts.length === 0) return;
  await db
    .insertInto('repaired_parts')
    .values(parts.map((part) => ({ device_id: deviceId, ticket_id: ticketId, part, repaired_on: repairedOn })))
    .execute();
}
