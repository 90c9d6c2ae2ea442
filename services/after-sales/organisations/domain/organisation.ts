import { z } from 'zod';
import { BusinessLine } from '../../../kernel/business-line.ts';

/*
 * A customer organisation: the plant or company that owns boxes. Its people sign in to the
 * portal and see its boxes, tickets, sessions and platform tickets, nobody else's
 * (kernel/tenant.ts); after-sales keeps the record.
 */

const Text = (max: number) => z.string().trim().min(1).max(max);

/** Someone at the customer after-sales may call; the Service Registration Form's contact. */
export const Contact = z.strictObject({
  name: Text(200),
  phone: Text(64).optional(),
  email: z.string().trim().email().max(254).optional(),
  address: Text(500).optional(),
});
export type Contact = z.infer<typeof Contact>;

export const OrganisationName = Text(200);

export const OrganisationInput = z.strictObject({
  name: OrganisationName,
  businessLine: BusinessLine.nullable().optional(),
  contacts: z.array(Contact).max(20).optional(),
});
export type OrganisationInput = z.infer<typeof OrganisationInput>;

export const OrganisationPatch = OrganisationInput.partial();
export type OrganisationPatch = z.infer<typeof OrganisationPatch>;

export interface Organisation {
  id: number;
  name: string;
  businessLine: BusinessLine | null;
  contacts: Contact[];
  deviceCount: number;
  createdAt: number;
  updatedAt: number;
}
