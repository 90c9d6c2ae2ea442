import { z } from 'zod';
import { refuseUnsafeTextIn } from '../../contract/unsafe-text.ts';
import { Channel, type LiveEvent } from './live-events.ts';
import { SESSION_CLIENT_EVENTS, type SessionServerEvents } from './session-contract.ts';

/*
 * The socket.io contract between the backend and the dashboard: client→server payloads (zod,
 * validated on arrival), acknowledgement shapes, server→client events and error codes.
 * Imports only zod schemas (live-events.ts, session-contract.ts and the domain schemas they
 * use), so the dashboard can import it as well.
 */

/** Mounted at this path on the HTTP server, beside /api. */
export const SOCKET_PATH = '/socket.io';

/**
 * Codes in error acks, connect_error data and session-ended. Same spelling as the HTTP API's
 * codes for the same situations, so the dashboard handles both alike.
 */
export const REALTIME_ERRORS = {
  /** Handshake without a valid session, or the session ended (logout, expiry, account disabled). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The role may not receive that channel, or may not do that in the session (details say why). */
  FORBIDDEN: 'FORBIDDEN',
  /** The payload does not match the event's schema. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** The participant sent more events or text than its limit allows (details: retryAfterMs). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** An event name the server does not handle. */
  UNKNOWN_EVENT: 'UNKNOWN_EVENT',
  /** No remote-guidance session has that id. */
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  /** The remote-guidance session has ended: its timeline takes no more notes, chat or commands. */
  SESSION_ENDED: 'SESSION_ENDED',
  /** Commands need an active session; a queued one is started first (POST /api/sessions/:id/start). */
  SESSION_NOT_STARTED: 'SESSION_NOT_STARTED',
  /** The command service could not take the command (details: the seqs recorded and the error). */
  COMMAND_NOT_SENT: 'COMMAND_NOT_SENT',
  /** The session could not be checked (e.g. the database failed); try again later. */
  INTERNAL: 'INTERNAL',
} as const;
export type RealtimeErrorCode = keyof typeof REALTIME_ERRORS;

export interface RealtimeError {
  code: RealtimeErrorCode;
  details: unknown;
}

/** Every client→server event is answered with one of these through its ack callback. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: RealtimeError };

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
