import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import { chinaDate } from '../../kernel/warranty-period.ts';
import { computeWarranty, type Warranty } from '../warranty/index.ts';
import type { RepairedPartsPort } from './domain/repaired-parts-port.ts';
import type { StoredTicket } from './store/rma-store.ts';

type Tx = Kysely<Database>;

/**
 * The box's warranty when the fault was reported: the instant the ticket was opened, counted on
 * China's calendar date like every other warranty view (device list, detail, warranty
 * endpoint). Seed: damage "within 12 months" is covered, so a box reported on the last day of
 * its cover stays covered however long after-sales takes to confirm or the bench to price it;
 * each repaired part's own year is judged on the same day.
 *
 * Read through `db`; inside a transaction that must be the transaction: the SQLite driver has
 * one connection, and a query on the outer handle waits for the transaction holding it, which
 * waits for the query.
 */
export async function warrantyWhenReported(
  db: Tx,
  parts: RepairedPartsPort<Tx>,
  deviceId: number | null,
  reportedAt: number,
): Promise<Warranty | null> {
  if (deviceId === null) return null;
  const device = await db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
  if (!device) return null;
  return computeWarranty(
    { receiptDate: device.receipt_date, saleDate: device.sale_date, repairedParts: await parts.list(db, device.id) },
    chinaDate(reportedAt),
  );
}

/** Suggested exclusions nobody confirmed or rejected yet: they block the computed warranty confirmation. */
export function undecidedExclusions(stored: StoredTicket): string[] {
  return stored.exclusions.filter((f) => f.status === 'suggested').map((f) => f.exclusion);
}

/**
 * Seed: after-sales confirms warranty period and scope. Without an explicit answer in the
 * payload, the computed warranty and the exclusions a person confirmed are used; a
 * suggestion nobody decided blocks the confirmation.
 */
export function warrantyConfirmationPayload(stored: StoredTicket, payload: unknown, w: Warranty | null): unknown {
  const given = (payload ?? {}) as Record<string, unknown>;
  if (given.warranty !== undefined) return payload;
  const undecided = undecidedExclusions(stored);
  if (undecided.length > 0) throw new AppError('RMA_EXCLUSIONS_UNDECIDED', { undecided });
  const confirmed = stored.exclusions.filter((f) => f.status === 'confirmed').map((f) => f.exclusion);
  return {
    ...given,
    warranty: {
      inWarranty: w?.inWarranty === true,
      inScope: confirmed.length === 0,
      exclusions: confirmed,
      ...(w?.basis === 'receipt-date' && w.start ? { receiptDate: w.start } : {}),
      ...(w?.basis === 'sale-date' && w.start ? { saleDate: w.start } : {}),
      ...(w?.end ? { warrantyEndsOn: w.end } : {}),
    },
  };
}
