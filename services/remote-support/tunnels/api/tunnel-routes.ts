import { z } from 'zod';
import { IdParams } from '../../../kernel/common-schemas.ts';
import { routesFor, type RouteRequest } from '../../../kernel/route-definition.ts';
import type { TunnelService } from '../tunnel-service.ts';
import { streamPath } from '../tunnel-stream.ts';
import { NewTunnelBody, OpenedTunnelView, TunnelParams, TunnelView } from './tunnel-schemas.ts';

/** What the PLC tunnel routes need. */
export interface TunnelRouteDeps {
  tunnels: TunnelService;
}

const defineRoute = routesFor<TunnelRouteDeps>();

/** The stream's address on the origin the request came to (wss behind TLS or a trusted proxy's https). */
export function streamUrl(req: RouteRequest, sessionId: number, tunnelId: string): string {
  const { localAddress, localPort } = req.socket;
  const host = req.host ?? (localAddress?.includes(':') ? `[${localAddress}]:${localPort}` : `${localAddress}:${localPort}`);
  return `${req.protocol === 'https' ? 'wss' : 'ws'}://${host}${streamPath(sessionId, tunnelId)}`;
}

export const tunnelRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/sessions/:id/tunnels',
    summary:
      'Opens a PLC tunnel through the session’s box to a TCP endpoint on its LAN; answers once the box said OPENED, with the WebSocket `url` of the stream',
    tag: 'tunnels',
    access: 'sessions:write',
    params: IdParams,
    body: NewTunnelBody,
    status: 201,
    response: OpenedTunnelView,
    errors: [
      'SESSION_NOT_FOUND',
      'SESSION_NOT_STARTED',
      'SESSION_ENDED',
      'TUNNEL_LIMIT',
      'TUNNEL_BOX_OFFLINE',
      'TUNNEL_REFUSED',
      'TUNNEL_TIMEOUT',
      'DEVICE_NOT_FOUND',
    ],
    handler: async ({ params, body, user, req, deps }) => {
      const opened = await deps.tunnels.open(params.id, user, body);
      return { ...opened, url: streamUrl(req, params.id, opened.id) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/sessions/:id/tunnels',
    summary: 'The session’s PLC tunnels, open and closed, newest first, with bytes each way and why each closed',
    tag: 'tunnels',
    access: 'aftersales:read',
    params: IdParams,
    response: z.array(TunnelView),
    errors: ['SESSION_NOT_FOUND'],
    handler: ({ params, deps }) => deps.tunnels.list(params.id),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/sessions/:id/tunnels/:tid',
    summary: 'Closes a PLC tunnel (`closed-by-user`): CLOSE to the box, the WebSocket closed with that reason',
    tag: 'tunnels',
    access: 'sessions:write',
    params: TunnelParams,
    status: 204,
    errors: ['SESSION_NOT_FOUND', 'SESSION_NOT_STARTED', 'SESSION_ENDED', 'TUNNEL_NOT_FOUND'],
    handler: ({ params, user, deps }) => deps.tunnels.close(params.id, params.tid, user),
  }),
];
