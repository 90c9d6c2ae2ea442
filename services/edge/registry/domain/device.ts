import { z } from 'zod';
import { Serial } from '../../../contract/serial.ts';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { WarrantyStatus } from '../../../kernel/warranty-period.ts';

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
    organisationId: z.number().int().positive().optional().describe('the customer organisation the box belongs to (GET /api/organisations)'),
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
  /** The customer organisation the box belongs to: whose people see it in the portal. */
  organisation: DeviceOrganisation | null;
}

/** The link from a box to its customer organisation, as device answers show it. */
export interface DeviceOrganisation {
  id: number;
  name: string;
}

// A box's warranty is decided by the kernel's boxWarranty (China's date, the sale-date
// fallback), the one rule the device views, the list filter and after-sales share.
export { WarrantyStatus };
