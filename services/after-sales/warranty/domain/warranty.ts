import { z } from 'zod';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import type { Locale } from '../../../kernel/locale.ts';
import { boxWarranty, WarrantyBasis, type WarrantyReason as BoxReason, warrantyEnd, warrantyReasonText } from '../../../kernel/warranty-period.ts';

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

/** A repaired part's own cover: still running, ended, or running though the box's has ended. */
export interface PartReason {
  kind: 'part';
  part: string;
  repairedOn: string;
  end: string;
  cover: 'covered' | 'expired' | 'outlives-box';
}

/** Why the warranty is what it is: the box's reasons, then each repaired part's. */
export type WarrantyReason = BoxReason | PartReason;

/** The decision as computed: WarrantyAnswer with its reasons still data, rendered per reader by warrantyIn. */
export type Warranty = Omit<WarrantyAnswer, 'reasons'> & { reasons: WarrantyReason[] };

// Both languages side by side; a part's name is as the repair record typed it.
const PART_TEXT: Record<Locale, (r: PartReason) => string> = {
  en: (r) =>
    `${r.part}, repaired or replaced on ${r.repairedOn}, has its own warranty through ${r.end}` +
    (r.cover === 'expired' ? ', now expired.' : r.cover === 'outlives-box' ? ", still covered though the box's has ended." : '.'),
  'zh-CN': (r) =>
    `${r.part}（${r.repairedOn} 维修或更换）单独保修至 ${r.end}` +
    (r.cover === 'expired' ? '，现已过保。' : r.cover === 'outlives-box' ? '，整机已过保，该部件仍在保修期内。' : '。'),
};

/** One reason as a sentence in `locale`. */
export function warrantyReasonIn(reason: WarrantyReason, locale: Locale): string {
  return reason.kind === 'part' ? PART_TEXT[locale](reason) : warrantyReasonText(reason, locale);
}

/** The answer as the API sends it: the reasons in the reader's language. */
export function warrantyIn(w: Warranty, locale: Locale): WarrantyAnswer {
  return { ...w, reasons: w.reasons.map((r) => warrantyReasonIn(r, locale)) };
}

/**
 * Seed: the box is covered 12 months from the customer's receipt (express-delivery signing)
 * date, else from the sale date ("within 12 months from the date of sale"), decided by the
 * kernel's boxWarranty, the same function the device list, detail and list filter use;
 * "The repaired or replaced components have a 1-year warranty from the date of repair."
 * `today` is China's calendar date (`chinaDate` of the injected clock).
 */
export function computeWarranty(facts: WarrantyFacts, today: string): Warranty {
  const box = boxWarranty(facts, today);
  const reasons: WarrantyReason[] = [...box.reasons];
  const partWarranties = (facts.repairedParts ?? []).map(({ part, repairedOn }): PartWarranty => {
    const partEnd = warrantyEnd(repairedOn);
    const covered = today <= partEnd;
    const cover = !covered ? 'expired' : box.inWarranty === false ? 'outlives-box' : 'covered';
    reasons.push({ kind: 'part', part, repairedOn, end: partEnd, cover });
    return { part, repairedOn, end: partEnd, inWarranty: covered };
  });
  return { inWarranty: box.inWarranty, start: box.start, end: box.end, basis: box.basis, reasons, partWarranties };
}
