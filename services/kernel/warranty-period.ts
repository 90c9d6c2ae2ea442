import { z } from 'zod';

// The box's warranty is the one date rule the registry (device list, detail, list filter) and
// the warranty decision (warranty endpoint, RMA tickets) share; in the kernel, neither
// capability imports the other, and every view answers from this one function.

/** Seed: the box's warranty, and a repaired part's, runs 12 months. */
export const WARRANTY_MONTHS = 12;

const DAY_MS = 86_400_000;
/** Asia/Shanghai has kept UTC+8 all year, without daylight saving, since 1991. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * China's calendar date (Asia/Shanghai) of an instant: the vendor's "today". At 23:30 UTC it
 * is already 07:30 the next day in China, so the UTC date would end cover a day late.
 */
export function chinaDate(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`chinaDate needs epoch milliseconds, got ${ms}`);
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Last day covered: the day before the 12-month anniversary of receipt. A 29 February
 * receipt has no anniversary; Date.UTC rolls it to 1 March, so cover ends on 28 February.
 */
export function warrantyEnd(receiptDate: string): string {
  const [y, m, d] = receiptDate.split('-').map(Number) as [number, number, number];
  const anniversary = Date.UTC(y, m - 1 + WARRANTY_MONTHS, d);
  return new Date(anniversary - DAY_MS).toISOString().slice(0, 10);
}

export const WarrantyStatus = z.enum(['in-warranty', 'expired', 'unknown']);
export type WarrantyStatus = z.infer<typeof WarrantyStatus>;

export const WarrantyBasis = z.enum(['receipt-date', 'sale-date', 'unknown']);
export type WarrantyBasis = z.infer<typeof WarrantyBasis>;

/** The dates a box's warranty is decided from, as the registry records them. */
export interface WarrantyDates {
  receiptDate?: string | null;
  saleDate?: string | null;
}

/** The box's own warranty on one day (repaired parts' warranties are added by after-sales). */
export interface BoxWarranty {
  status: WarrantyStatus;
  /** `status` as a yes/no; null when no date is recorded. */
  inWarranty: boolean | null;
  basis: WarrantyBasis;
  start: string | null;
  end: string | null;
  /** Sentences after-sales can read out: which date it counted from, and the outcome. */
  reasons: string[];
}

/** The date cover counts from: the receipt date, else the sale date (see boxWarranty). */
export function warrantyStart(dates: WarrantyDates): { basis: WarrantyBasis; start: string | null } {
  if (dates.receiptDate) return { basis: 'receipt-date', start: dates.receiptDate };
  if (dates.saleDate) return { basis: 'sale-date', start: dates.saleDate };
  return { basis: 'unknown', start: null };
}

function basisReason(basis: WarrantyBasis, start: string | null): string {
  if (basis === 'receipt-date') return `Covered ${WARRANTY_MONTHS} months from the customer's receipt (express-delivery signing) date ${start}.`;
  // The sale date is earlier than receipt, so this can only shorten cover: say so, never hide it.
  if (basis === 'sale-date')
    return (
      `Receipt date unknown: counted ${WARRANTY_MONTHS} months from the sale/delivery date ${start} instead; ` +
      'record the express-delivery signing date to confirm, as it may extend cover.'
    );
  return 'Neither the receipt date nor the sale/delivery date is recorded, so the warranty cannot be decided; record the express-delivery signing date.';
}

/**
 * Seed: "The warranty time is calculated based on the customer's receipt date" (the express
 * delivery signing date), and "within 12 months from the date of sale" where no receipt date
 * is recorded: the documented fallback, with its reason. `today` is China's calendar date
 * (`chinaDate` of the injected clock); the last covered day is `end`, the day after is not.
 */
export function boxWarranty(dates: WarrantyDates, today: string): BoxWarranty {
  const { basis, start } = warrantyStart(dates);
  const reasons = [basisReason(basis, start)];
  if (!start) return { status: 'unknown', inWarranty: null, basis, start, end: null, reasons };
  const end = warrantyEnd(start);
  const inWarranty = today <= end;
  reasons.push(inWarranty ? `In warranty on ${today}: covered through ${end}.` : `Expired: the last covered day was ${end}.`);
  if (start > today) reasons.push(`The ${basis === 'receipt-date' ? 'receipt' : 'sale'} date ${start} is after ${today}; check the record.`);
  return { status: inWarranty ? 'in-warranty' : 'expired', inWarranty, basis, start, end, reasons };
}

/**
 * The earliest start date still in warranty `today`: a box is in warranty exactly when its
 * start (receipt date, else sale date) is on or after it, so a store filters with one
 * comparison and agrees with boxWarranty. warrantyEnd never decreases as the start moves
 * later, so a search over the ~13 months before `today` finds it whatever month ends and leap
 * days do.
 */
export function earliestStartInWarranty(today: string): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  let lo = Date.parse(today) - 400 * DAY_MS; // expired
  let hi = Date.parse(today); // started today: in warranty
  while (hi - lo > DAY_MS) {
    const mid = lo + Math.floor((hi - lo) / DAY_MS / 2) * DAY_MS;
    if (today <= warrantyEnd(day(mid))) hi = mid;
    else lo = mid;
  }
  return day(hi);
}
