import { z } from 'zod';
import { EpochMs } from '../../../contract/payloads.ts';
import { TUNNEL_PHASES } from './tunnel.ts';

/** A tunnel id as the API, the timeline and the WebSocket path spell it: 32 lower-case hex characters. */
export const TunnelIdText = z.string().regex(/^[0-9a-f]{32}$/, 'a tunnel id is 32 lower-case hex characters');

/** One tunnel of a session, open or closed, as GET /api/sessions/:id/tunnels lists it. */
export const TunnelView = z.strictObject({
  id: TunnelIdText,
  state: z.enum(TUNNEL_PHASES),
  /** The TCP endpoint on the box's LAN. */
  host: z.string(),
  port: z.number().int().min(1).max(65_535),
  openedBy: z.string(),
  openedAt: EpochMs,
  closedAt: EpochMs.nullable(),
  closeReason: z.string().nullable(),
  /** Stream bytes from the box (the PLC) to the engineer. */
  bytesUp: z.number().int().nonnegative(),
  /** Stream bytes from the engineer to the box (the PLC). */
  bytesDown: z.number().int().nonnegative(),
});
export type TunnelView = z.infer<typeof TunnelView>;
