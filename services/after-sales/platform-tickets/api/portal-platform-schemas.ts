import { z } from 'zod';
import { cursorParam, IdKey, NextCursor, PageLimit } from '../../../kernel/page-cursor.ts';
import { BugFeedbackForm } from '../domain/platform-ticket.ts';
import { PortalPlatformTicket } from '../domain/portal-view.ts';

/** HTTP schemas of the customer portal's platform feedback; openapi.json is generated from these. */

export { PortalPlatformTicket };

export const PortalFeedbackBody = z.strictObject({ form: BugFeedbackForm });
export const PortalNotFixedBody = z.strictObject({ reason: z.string().trim().min(1, 'say what still fails').max(4000) });
export const PortalPlatformQuery = z.object({ limit: PageLimit, cursor: cursorParam(IdKey).optional() });
export const PortalPlatformPage = z.object({ tickets: z.array(PortalPlatformTicket), nextCursor: NextCursor });
export const PortalFormDefaults = z.object({ project: z.string(), reporter: z.string(), contact: z.string() });
