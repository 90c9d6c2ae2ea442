import { z } from 'zod';
import { Serial } from '../../../contract/serial.ts';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { warrantyEnd } from '../../../kernel/warranty-period.ts';

export const Customer = z.object({
  name: z.string().trim().min(1).max(200),
  contacts: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(64).optional(),
  address: z.string().trim().max(500).optional(),
  businessLine: BusinessLine,
});
export type Customer = z.infer<typeof Customer>;

/** What after-sales enters when a box is sold (one API call or one CSV row). */
export const NewDevice = z
  .object({
    serial: Serial,
    model: z.string().trim().min(1).max(64),
    firmware: z.string().trim().min(1).max(64).optional(),
    productionDate: CalendarDate.optional(),
    saleDate: CalendarDate.optional(),
    receiptDate: CalendarDate.optional(),
    customer: Customer.optional(),
    requireCertificate: z.boolean().optional().describe('refuse the box unless it presents a client certificate (MQTT over TLS)'),
  })
  .strict()
  .refine((d) => !d.saleDate || !d.productionDate || d.saleDate >= d.productionDate, {
    message: 'saleDate is before productionDate',
    path: ['saleDate'],
  })
  .refine((d) => !d.receiptDate || !d.saleDate || d.receiptDate >= d.saleDate, {
    message: 'receiptDate is before saleDate',
    path: ['receiptDate'],
  });
export type NewDevice = z.infer<typeof NewDevice>;

export interface Device {
  id: number;
  serial: string;
  model: string;
  firmware: string | null;
  productionDate: string | null;
  saleDate: string | null;
  receiptDate: string | null;
  customer: Customer | null;
  enabled: boolean;
  /** Only a client certificate authenticates the box over MQTT; a password alone is refused. */
  requireCertificate: boolean;
  createdAt: number;
}

export const WarrantyStatus = z.enum(['in-warranty', 'expired', 'unknown']);
export type WarrantyStatus = z.infer<typeof WarrantyStatus>;

/**
 * Seed: the warranty runs 12 months from the customer's receipt date. Without a receipt
 * date the status is unknown: after-sales must confirm the delivery signing date first.
 */
export function warrantyStatus(receiptDate: string | null, today: string): WarrantyStatus {
  if (!receiptDate) return 'unknown';
  return today <= warrantyEnd(receiptDate) ? 'in-warranty' : 'expired';
}

const DAY_MS = 86_400_000;

/**
 * The earliest receipt date still in warranty `today`: a box is in warranty exactly when its
 * receipt date is on or after it, so a store can filter by warranty with one comparison.
 * warrantyEnd never decreases as the receipt date moves later, so a search over the ~13 months
 * before `today` finds it whatever month ends and leap days do.
 */
export function earliestReceiptInWarranty(today: string): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  let lo = Date.parse(today) - 400 * DAY_MS; // expired
  let hi = Date.parse(today); // received today: in warranty
  while (hi - lo > DAY_MS) {
    const mid = lo + Math.floor((hi - lo) / DAY_MS / 2) * DAY_MS;
    if (today <= warrantyEnd(day(mid))) hi = mid;
    else lo = mid;
  }
  return day(hi);
}
