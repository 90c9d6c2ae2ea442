import { z } from 'zod';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { boxWarranty, WarrantyBasis, warrantyEnd } from '../../../kernel/warranty-period.ts';

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

export { WarrantyBasis };

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
 * date, else from the sale date ("within 12 months from the date of sale"), decided by the
 * kernel's boxWarranty, the same function the device list, detail and list filter use;
 * "The repaired or replaced components have a 1-year warranty from the date of repair."
 * `today` is China's calendar date (`chinaDate` of the injected clock).
 */
export function computeWarranty(facts: WarrantyFacts, today: string): WarrantyAnswer {
  const box = boxWarranty(facts, today);
  const reasons = [...box.reasons];
  const partWarranties = (facts.repairedParts ?? []).map(({ part, repairedOn }): PartWarranty => {
    const partEnd = warrantyEnd(repairedOn);
    const covered = today <= partEnd;
    reasons.push(
      `${part}, repaired or replaced on ${repairedOn}, has its own warranty through ${partEnd}` +
        (!covered ? ', now expired.' : box.inWarranty === false ? ", still covered though the box's has ended." : '.'),
    );
    return { part, repairedOn, end: partEnd, inWarranty: covered };
  });
  return { inWarranty: box.inWarranty, start: box.start, end: box.end, basis: box.basis, reasons, partWarranties };
}
