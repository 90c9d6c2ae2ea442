import { z } from 'zod';
import { SERIAL_PATTERN } from '../../../contract/topics.ts';
import { warrantyEnd } from '../../../kernel/warranty-period.ts';

export { WARRANTY_MONTHS, warrantyEnd } from '../../../kernel/warranty-period.ts';

export const BUSINESS_LINES = [
  'smart-factory',
  'smart-city',
  'smart-environmental-protection',
  'smart-logistics',
] as const;
export const BusinessLine = z.enum(BUSINESS_LINES);
export type BusinessLine = z.infer<typeof BusinessLine>;

/** A calendar date `YYYY-MM-DD` that exists (2025-02-30 is refused). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');

export const Customer = z.object({
  name: z.string().trim().min(1).max(200),
  contacts: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(64).optional(),
  address: z.string().trim().max(500).optional(),
  businessLine: BusinessLine,
});
export type Customer = z.infer<typeof Customer>;

export const Serial = z.string().regex(SERIAL_PATTERN, 'serial: 6-23 upper-case letters and digits, e.g. MTB2411000123');

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
