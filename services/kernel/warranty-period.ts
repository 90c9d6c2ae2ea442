import { z } from 'zod';
import type { Locale } from './locale.ts';

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

/**
 * Why the box is, or is not, in warranty: a kind and its values, so each reader gets the
 * sentence in their language (warrantyReasonText) and nothing stored depends on who read it.
 */
export type WarrantyReason =
  | { kind: 'counted-from-receipt'; start: string }
  | { kind: 'counted-from-sale'; start: string }
  | { kind: 'no-dates' }
  | { kind: 'in-warranty'; today: string; end: string }
  | { kind: 'expired'; end: string }
  | { kind: 'start-after-today'; basis: 'receipt-date' | 'sale-date'; start: string; today: string };

/** The box's own warranty on one day (repaired parts' warranties are added by after-sales). */
export interface BoxWarranty {
  status: WarrantyStatus;
  /** `status` as a yes/no; null when no date is recorded. */
  inWarranty: boolean | null;
  basis: WarrantyBasis;
  start: string | null;
  end: string | null;
  /** What after-sales can read out: which date it counted from, and the outcome (warrantyReasonText). */
  reasons: WarrantyReason[];
}

/** The date cover counts from: the receipt date, else the sale date (see boxWarranty). */
export function warrantyStart(dates: WarrantyDates): { basis: WarrantyBasis; start: string | null } {
  if (dates.receiptDate) return { basis: 'receipt-date', start: dates.receiptDate };
  if (dates.saleDate) return { basis: 'sale-date', start: dates.saleDate };
  return { basis: 'unknown', start: null };
}

function basisReason(basis: WarrantyBasis, start: string | null): WarrantyReason {
  if (basis === 'receipt-date' && start) return { kind: 'counted-from-receipt', start };
  if (basis === 'sale-date' && start) return { kind: 'counted-from-sale', start };
  return { kind: 'no-dates' };
}

type Sentences = { [K in WarrantyReason['kind']]: (r: Extract<WarrantyReason, { kind: K }>) => string };

// Both languages side by side; the English is what after-sales has always read.
const REASON_TEXT: Record<Locale, Sentences> = {
  en: {
    'counted-from-receipt': (r) => `Covered ${WARRANTY_MONTHS} months from the customer's receipt (express-delivery signing) date ${r.start}.`,
    // The sale date is earlier than receipt, so this can only shorten cover: say so, never hide it.
    'counted-from-sale': (r) =>
      `Receipt date unknown: counted ${WARRANTY_MONTHS} months from the sale/delivery date ${r.start} instead; ` +
      'record the express-delivery signing date to confirm, as it may extend cover.',
    'no-dates': () =>
      'Neither the receipt date nor the sale/delivery date is recorded, so the warranty cannot be decided; record the express-delivery signing date.',
    'in-warranty': (r) => `In warranty on ${r.today}: covered through ${r.end}.`,
    expired: (r) => `Expired: the last covered day was ${r.end}.`,
    'start-after-today': (r) => `The ${r.basis === 'receipt-date' ? 'receipt' : 'sale'} date ${r.start} is after ${r.today}; check the record.`,
  },
  'zh-CN': {
    'counted-from-receipt': (r) => `自客户签收日期（快递签收日期）${r.start} 起保修 ${WARRANTY_MONTHS} 个月。`,
    'counted-from-sale': (r) =>
      `签收日期未知：改按销售/发货日期 ${r.start} 起计算 ${WARRANTY_MONTHS} 个月保修期；请登记快递签收日期以确认，保修期可能因此延长。`,
    'no-dates': () => '签收日期和销售/发货日期均未登记，无法判定保修期；请登记快递签收日期。',
    'in-warranty': (r) => `${r.today} 在保修期内：保修至 ${r.end}。`,
    expired: (r) => `已过保修期：最后保修日为 ${r.end}。`,
    'start-after-today': (r) => `${r.basis === 'receipt-date' ? '签收' : '销售'}日期 ${r.start} 晚于 ${r.today}，请核对记录。`,
  },
};

/** One reason as a sentence in `locale`. */
export function warrantyReasonText(reason: WarrantyReason, locale: Locale): string {
  const sentence = REASON_TEXT[locale][reason.kind] as (r: WarrantyReason) => string;
  return sentence(reason);
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
  if (!start || basis === 'unknown') return { status: 'unknown', inWarranty: null, basis, start, end: null, reasons };
  const end = warrantyEnd(start);
  const inWarranty = today <= end;
  reasons.push(inWarranty ? { kind: 'in-warranty', today, end } : { kind: 'expired', end });
  if (start > today) reasons.push({ kind: 'start-after-today', basis, start, today });
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
