import { z } from 'zod';
import { Reason } from '../../../kernel/common-schemas.ts';
import { cursorParam, IdKey, PageLimit } from '../../../kernel/page-cursor.ts';
import { intParam } from '../../../kernel/time-params.ts';
import { Serial } from '../../../contract/serial.ts';
import { LINK_TTL_MINUTES } from '../domain/customer-link.ts';
import { SessionOutcome, SessionState } from '../domain/remote-session.ts';
import { SessionDetail, SessionView } from '../domain/session-views.ts';

/** HTTP schemas of remote-guidance sessions; openapi.json is generated from these. */

export { SessionDetail, SessionView };

export const NewSessionBody = z
  .object({
    serial: Serial,
    caseId: z.number().int().positive().optional().describe('the remote case the session works on; escalating the session escalates the case'),
  })
  .strict();

export const SessionQuery = z.object({
  serial: Serial.optional(),
  state: SessionState.optional(),
  limit: PageLimit,
  cursor: cursorParam(IdKey).optional(),
});

/** Timeline entries a detail answers when the client names no `limit`: sessions up to this long come whole. */
export const DEFAULT_TIMELINE_PART = 1000;

export const SessionDetailQuery = z.object({
  afterSeq: intParam(0, 999_999_999).optional().describe('answer the timeline entries after this seq (default 0: from the first)'),
  limit: intParam(1, DEFAULT_TIMELINE_PART)
    .optional()
    .describe(`timeline entries to answer, default and at most ${DEFAULT_TIMELINE_PART}; \`nextAfterSeq\` says where more follow`),
});

export const OutcomeBody = z
  .object({
    outcome: SessionOutcome.describe('escalated opens an RMA ticket carrying the timeline; a queued session can only be abandoned'),
    reason: Reason,
  })
  .strict();

export const NewLinkBody = z
  .object({
    label: z.string().trim().min(1).max(80).optional().describe('who the link is for, shown beside their chat, e.g. "site electrician"'),
    ttlMinutes: z
      .number()
      .int()
      .min(LINK_TTL_MINUTES.min)
      .max(LINK_TTL_MINUTES.max)
      .optional()
      .describe(`minutes the link may wait to be opened, default ${LINK_TTL_MINUTES.default}`),
  })
  .strict();

export const LinkView = z.object({
  id: z.number().int(),
  sessionId: z.number().int(),
  token: z.string().describe('shown once: pass it as auth.sessionLink of a socket.io connection (docs/realtime.md)'),
  label: z.string().nullable(),
  expiresAt: z.number().int().describe('the link must be opened before this instant'),
  url: z
    .string()
    .describe(
      "the customer page on this backend's origin, `/customer.html#link=<token>&session=<id>`: the token rides in the fragment, so it never reaches a server log or a Referer header",
    ),
});
