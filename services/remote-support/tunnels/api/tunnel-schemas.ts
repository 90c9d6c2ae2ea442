import { z } from 'zod';
import { EpochMs } from '../../../contract/payloads.ts';
import { intParam } from '../../../kernel/time-params.ts';
import { TunnelIdText, TunnelView } from '../domain/tunnel-view.ts';

export { TunnelView };

export const TunnelParams = z.object({ id: intParam(1, 999_999_999), tid: TunnelIdText });

/** The TCP endpoint on the box's LAN; the box checks it against its own allow-list. */
export const NewTunnelBody = z.strictObject({
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or an IP address'),
  port: z.number().int().min(1).max(65_535),
});

export const OpenedTunnelView = z.strictObject({
  id: TunnelIdText,
  state: z.literal('open'),
  host: z.string(),
  port: z.number().int(),
  /** The WebSocket carrying the stream (binary messages), on the API's own port; same bearer token or cookie. */
  url: z.string().describe('ws:// or wss:// address of the stream: /api/sessions/{id}/tunnels/{tid}/stream'),
  openedBy: z.string(),
  openedAt: EpochMs,
});
