import { z } from 'zod';
import { refuseUnsafeTextIn } from '../../contract/unsafe-text.ts';
import { Channel, type LiveEvent } from './live-events.ts';
import { SESSION_CLIENT_EVENTS, type SessionServerEvents } from './session-contract.ts';
import type { Ack } from './socket-ack.ts';

/*
 * The socket.io contract between the backend and the dashboard: client→server payloads (zod,
 * validated on arrival), acknowledgement shapes, server→client events and error codes.
 * Imports only zod schemas (live-events.ts, session-contract.ts and the domain schemas they
 * use) and the ack shapes (socket-ack.ts), so the dashboard can import it as well.
 */

/** Mounted at this path on the HTTP server, beside /api. */
export const SOCKET_PATH = '/socket.io';

/** Payload of `subscribe` and `unsubscribe`. */
export const ChannelRequest = z.object({ channel: Channel }).strict();
export type ChannelRequest = z.infer<typeof ChannelRequest>;
export type ChannelAck = Ack<{ channel: Channel }>;

/** Client→server event names and the payload schema of each. */
export const CLIENT_EVENTS = {
  // Each payload also refuses NUL and lone surrogates in any text (contract/unsafe-text.ts).
  ...refuseUnsafeTextIn({ subscribe: ChannelRequest, unsubscribe: ChannelRequest }),
  ...SESSION_CLIENT_EVENTS,
} as const;
export type ClientEventName = keyof typeof CLIENT_EVENTS;

export function isClientEvent(name: string): name is ClientEventName {
  return Object.hasOwn(CLIENT_EVENTS, name);
}

/**
 * Why the server ended a connection's login: `expired`, `revoked` (logout, account disabled,
 * link gone), or for a customer link `closed`: the remote-guidance session it belongs to ended.
 */
export const SessionEndReason = z.enum(['expired', 'revoked', 'closed']);
export type SessionEndReason = z.infer<typeof SessionEndReason>;

/** Sent just before the server disconnects a socket whose session is no longer valid. */
export interface SessionEnded {
  code: 'UNAUTHENTICATED';
  details: { reason: SessionEndReason };
}

/**
 * `auth` of the socket.io handshake: an account's `token` (the session cookie is used when it
 * is absent), or a customer's `sessionLink` with, after the first connection, its `resumeKey`.
 */
export const HandshakeAuth = z.looseObject({ token: z.string().optional(), sessionLink: z.string().optional(), resumeKey: z.string().optional() });

/** Events the server emits; typed for socket.io's Server generic and for the dashboard's client. */
export interface ServerToClientEvents extends SessionServerEvents {
  live: (event: LiveEvent) => void;
  'session-ended': (payload: SessionEnded) => void;
}

/** Client events arrive unchecked; their payloads go through CLIENT_EVENTS before use. */
export type ClientToServerEvents = Record<ClientEventName, (...args: unknown[]) => void>;
