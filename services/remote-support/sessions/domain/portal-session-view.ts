import { z } from 'zod';
import { EpochMs } from '../../../contract/payloads.ts';
import { SessionState } from './remote-session.ts';
import type { SessionView } from './session-views.ts';

/**
 * A remote-guidance session as the invited customer sees it: which box, whether it is waiting,
 * running or over, and who guides it. The timeline is seen by joining, on the customer page.
 */
export const PortalSession = z.object({
  id: z.number().int().positive(),
  serial: z.string(),
  state: SessionState,
  openedAt: EpochMs,
  startedAt: EpochMs.nullable(),
  endedAt: EpochMs.nullable(),
  engineer: z.string().describe('the engineer guiding the session: who started it, else who asked for it'),
  queuePosition: z.number().int().positive().nullable().describe('while queued: place in its support queue, 1 = next'),
  supportOpensAt: EpochMs.nullable().describe('while queued: when support hours next begin'),
  mayJoin: z.boolean().describe('queued or active: the customer page can be opened'),
});
export type PortalSession = z.infer<typeof PortalSession>;

export function portalSessionOf(s: SessionView): PortalSession {
  return {
    id: s.id,
    serial: s.serial,
    state: s.state,
    openedAt: s.requestedAt,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    engineer: s.startedBy ?? s.requestedBy,
    queuePosition: s.queuePosition,
    supportOpensAt: s.supportOpensAt,
    mayJoin: s.state !== 'ended',
  };
}
