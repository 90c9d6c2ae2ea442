import { z } from 'zod';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { cursorParam, DEFAULT_PAGE, NextCursor, PageLimit } from '../../../kernel/page-cursor.ts';
import { Serial } from '../../../contract/serial.ts';
import { Contact } from '../domain/organisation.ts';

export const OrganisationView = z.object({
  id: z.number().int(),
  name: z.string(),
  businessLine: BusinessLine.nullable(),
  contacts: z.array(Contact),
  deviceCount: z.number().int().describe('boxes that belong to the organisation'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const OrganisationDetail = OrganisationView.extend({
  users: z.array(z.object({ username: z.string(), enabled: z.boolean(), createdAt: z.number().int() })).describe('its customer accounts'),
  invitations: z
    .array(z.object({ username: z.string(), createdBy: z.string(), createdAt: z.number().int(), expiresAt: z.number().int() }))
    .describe('invitations not accepted yet and still valid'),
});

export const OrganisationIdParams = z.object({ id: z.coerce.number().int().positive() });
export const OrganisationDeviceParams = OrganisationIdParams.extend({ sn: Serial });

export const DEFAULT_ORGANISATION_PAGE = DEFAULT_PAGE;
export const OrganisationListQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional().describe('part of the name, any case'),
  limit: PageLimit,
  cursor: cursorParam(z.tuple([z.string(), z.number().int().positive()])).optional(),
});
export const OrganisationList = z.object({ organisations: z.array(OrganisationView), nextCursor: NextCursor });

export const DeviceAssignment = z.strictObject({
  serials: z.array(Serial).min(1).max(1000).describe('boxes to link to this organisation; a box of another organisation moves'),
});
export const DeviceAssignmentResult = z.object({
  assigned: z.number().int(),
  unknown: z.array(z.string()).describe('serials that are not registered: nothing was done for them'),
});

export const InvitationRequest = z.strictObject({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'username: 3-64 lower-case letters, digits, . _ -'),
});
export const InvitationCreated = z.object({
  username: z.string(),
  url: z.string().describe('the one-time URL to send the customer; the token in its fragment is shown only here'),
  expiresAt: z.number().int(),
});
