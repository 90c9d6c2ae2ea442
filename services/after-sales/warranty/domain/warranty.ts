import { z } from 'zod';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { WARRANTY_MONTHS, warrantyEnd } from '../../../kernel/warranty-period.ts';

export const RepairedPart = z.object({
  part: z.string().trim().min(1).max(200),
  repairedOn: CalendarDate,
});
export type RepairedPart = z.infer<typeof RepairedPart>;

/** What the warranty is decided from: the box's dates and the parts repaired or replaced so far. */
export const WarrantyFacts = z.object({
  receiptDate: CalendarDate.nullable().optional(),
  saleDate: CalendarDate.nullable().optional(),
  repairedParts: z.array(RepairedPart).max(500).default([]),
});
export type WarrantyFacts = z.input<typeof WarrantyFacts>;

export const WarrantyBasis = z.enum(['receipt-date', 'sale-date', 'unknown']);
export type WarrantyBasis = z.infer<typeof WarrantyBasis>;

export const PartWarranty = z.object({
  part: z.string(),
  repairedOn: CalendarDate,
  end: CalendarDate,
  inWarranty: z.boolean(),
});
export type PartWarranty = z.infer<typeof PartWarranty>;

/** The warranty answer the API returns; `reasons` are sentences after-sales can read out. */
export const WarrantyAnswer = z.object({
  inWarranty: z.boolean().nullable(),
  start: CalendarDate.nullable(),
  end: CalendarDate.nullable(),
  basis: WarrantyBasis,
  reasons: z.array(z.string()),
  partWarranties: z.array(PartWarranty),
});
export type WarrantyAnswer = z.infer<typeof WarrantyAnswer>;

/**
 * Seed: the box is covered 12 months from the customer's receipt (express-delivery signing)
 * date; repaired or replaced components carry their own 12 months from the repair date.
 */
export function computeWarranty(facts: WarrantyFacts, today: string): WarrantyAnswer {
  const reasons: string[] = [];
  let basis: WarrantyBasis = 'unknown';
  let start: string | null = null;
  if (facts.receiptDate) {
    basis = 'receipt-date';
    start = facts.receiptDate;
    reasons.push(`Covered ${WARRANTY_MONTHS} months from the customer's receipt (express-delivery signing) date ${start}.`);
  } else if (facts.saleDate) {
    // The sale date is earlier than receipt, so this can only shorten cover: say so, never hide it.
    basis = 'sale-date';
    start = facts.saleDate;
    reasons.push(
      `Receipt date unknown: counted ${WARRANTY_MONTHS} months from the sale/delivery date ${start} instead; ` +
        'record the express-delivery signing date to confirm, as it may extend cover.',
    );
  } else {
    reasons.push(
      'Neither the receipt date nor the sale/delivery date is recorded, so the warranty cannot be decided; ' +
        'record the express-delivery signing date.',
    );
  }

  let end: string | null = null;
  let inWarranty: boolean | null = null;
  if (start) {
    end = warrantyEnd(start);
    inWarranty = today <= end;
    reasons.push(inWarranty ? `In warranty on ${today}: covered through ${end}.` : `Expired: the last covered day was ${end}.`);
    if (start > today) reasons.push(`The ${basis === 'receipt-date' ? 'receipt' : 'sale'} date ${start} is after ${today}; check the record.`);
  }

  const partWarranties = (facts.repairedParts ?? []).map(({ part, repairedOn }): PartWarranty => {
    const partEnd = warrantyEnd(repairedOn);
    const covered = today <= partEnd;
    reasons.push(
      `${part}, repaired or replaced on ${repairedOn}, has its own warranty through ${partEnd}` +
        (!covered ? ', now expired.' : inWarranty === false ? ", still covered though the box's has ended." : '.'),
    );
    return { part, repairedOn, end: partEnd, inWarranty: covered };
  });

  return { inWarranty, start, end, basis, reasons, partWarranties };
}
