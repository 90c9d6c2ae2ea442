import type { Server, Socket } from 'socket.io';
import type { SessionUser } from '../../platform/accounts/index.ts';
import type { SessionIdentity } from '../sessions/index.ts';
import type { CustomerIdentity } from '../sessions/index.ts';
import type { RealtimeErrorCode } from './socket-ack.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './socket-contract.ts';

/** Who is behind a connection: a support account's login, or a customer link. */
export type SocketIdentity =
  | { kind: 'account'; user: SessionUser; token: string }
  | {
      kind: 'customer';
      customer: CustomerIdentity;
      /** Handed to the browser in its first join ack; only the connection that redeemed the link has it. */
      resumeKey: string | null;
    };

export interface SocketData {
  identity: SocketIdentity;
  /** Sessions this connection joined, so a disconnect leaves each of them. */
  sessions: Set<number>;
}

/**
 * What the nodes of a cluster tell each other through the socket.io adapter (REDIS_URL): a
 * timeline entry committed on the sender, an account whose logins were revoked there, and who
 * is in a room.
 * Arrives unchecked from another process: validated before use.
 */
export interface InterServerEvents {
  'session.timeline': (entry: unknown) => void;
  'account.revoked': (userId: unknown) => void;
  /** Who is in a session's room on the receiving node: its participant keys. */
  'room.census': (sessionId: unknown, answer: (keys: string[]) => void) => void;
}

export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RealtimeIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type Failure = { ok: false; error: { code: RealtimeErrorCode; details: unknown } };
export type Acknowledge = (answer: object) => void;

export function failure(code: RealtimeErrorCode, details: unknown = null): Failure {
  return { ok: false, error: { code, details } };
}

export function issuesOf(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** The identity the session rules (remote-sessions/domain) reason about. */
export function sessionIdentityOf(identity: SocketIdentity): SessionIdentity {
  if (identity.kind === 'customer') return identity.customer;
  const { userId, username, role } = identity.user;
  return { kind: 'account', userId, username, role };
}

/** For log lines: whose connection this is, without secrets. */
export function whoOf(identity: SocketIdentity): Record<string, unknown> {
  return identity.kind === 'account'
    ? { userId: identity.user.userId, username: identity.user.username }
    : { customerLink: identity.customer.linkId, sessionId: identity.customer.sessionId };
}
