import type { Role } from '../../../kernel/roles.ts';

/** Who asks for a tunnel: a signed-in account. */
export interface TunnelUser {
  userId: number;
  username: string;
  role: Role;
}

/** A tunnel as the session's timeline records it. */
export interface TunnelFacts {
  tunnelId: string;
  host: string;
  port: number;
}

/**
 * What tunnels need of remote-guidance sessions (implemented by the sessions capability,
 * wired by the composition root): who may tunnel into which box, and the session's timeline.
 */
export interface TunnelSessionPort {
  /**
   * The box of an active session `user` may open tunnels in: an admin, or an engineer taking
   * part in it. Throws the AppError that says why not (SESSION_NOT_FOUND, SESSION_NOT_STARTED,
   * SESSION_ENDED, FORBIDDEN).
   */
  tunnelAccess(sessionId: number, user: TunnelUser): Promise<{ serial: string; deviceId: number }>;
  /** Throws SESSION_NOT_FOUND for a session that does not exist. */
  requireSession(sessionId: number): Promise<void>;
  recordOpened(sessionId: number, at: number, by: { username: string; role: Role }, facts: TunnelFacts): Promise<void>;
  recordClosed(
    sessionId: number,
    at: number,
    by: { username: string; role: Role } | null,
    facts: TunnelFacts & { reason: string; durationMs: number; bytesUp: number; bytesDown: number },
  ): Promise<void>;
}

/** What tunnels need of the MQTT edge. */
export interface TunnelEdge {
  isConnected(serial: string): boolean;
  /** Publishes one frame on the box's tun/down, QoS 1. */
  publish(serial: string, frame: Buffer): Promise<void>;
}
