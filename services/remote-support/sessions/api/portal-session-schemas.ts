import { z } from 'zod';
import { PortalSession } from '../domain/portal-session-view.ts';

/** HTTP schemas of remote-guidance sessions in the customer portal; openapi.json is generated from these. */

export const PortalSessionList = z.object({ sessions: z.array(PortalSession).describe('newest first, at most 50') });
export const PortalJoinView = z.object({
  url: z.string().describe('the customer page with a fresh one-time link for this account in its fragment; open it at once'),
  expiresAt: z.number().int().describe('the link must be opened before this instant'),
});
