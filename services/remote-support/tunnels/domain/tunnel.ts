import { WINDOW_FRAMES } from '../../../contract/tunnel-frames.ts';

/*
 * One PLC tunnel as the backend keeps it: opening → open → closed (with a reason), the
 * sequence numbers of both directions, the send window towards the box and the receive side's
 * acknowledgements, the bytes each way and the deadlines. Pure: the service passes `now` in
 * and does what the answers say (publish, pause, close).
 *
 * Rules (contract/tunnel-frames.ts, docs/protocol.md "PLC tunnel"): every frame of a direction
 * is numbered from 0 (OPEN is 0 downwards); the receiver expects exactly the next number, drops
 * a lower one (a QoS 1 redelivery) and closes on a higher one (`sequence`); a sender keeps at
 * most WINDOW_FRAMES DATA frames above the last ACK.
 */

/** How long the box has to answer OPEN with OPENED or REFUSED. */
export const OPEN_TIMEOUT_MS = 10_000;

export const TUNNEL_PHASES = ['opening', 'open', 'closed'] as const;
export type TunnelPhase = (typeof TUNNEL_PHASES)[number];

/**
 * Why a tunnel closed. `box-closed: <reason>` carries the box's own words from its CLOSE.
 * The backend's reasons, as the WebSocket close reason, the list and the timeline say them.
 */
export const CLOSE_REASONS = {
  closedByUser: 'closed-by-user',
  clientClosed: 'client-closed',
  boxOffline: 'box-offline',
  idle: 'idle',
  maxDuration: 'max-duration',
  sequence: 'sequence',
  badFrame: 'bad-frame',
  windowExceeded: 'window-exceeded',
  sessionEnded: 'session-ended',
  backendStopping: 'backend-stopping',
  backendRestarted: 'backend-restarted',
} as const;

export function boxClosedReason(boxReason: string): string {
  return `box-closed: ${boxReason}`;
}

export interface TunnelLimits {
  /** No DATA either way for this long closes the tunnel (`idle`). */
  idleMs: number;
  /** The tunnel closes this long after it opened (`max-duration`). */
  maxDurationMs: number;
}

export interface Tunnel {
  readonly phase: TunnelPhase;
  readonly requestedAt: number;
  readonly openedAt: number | null;
  readonly closedAt: number | null;
  readonly closeReason: string | null;
  /** The number the next frame sent to the box carries (OPEN took 0). */
  readonly nextSendSeq: number;
  /** The number expected next from the box (OPENED or REFUSED is 0). */
  readonly nextRecvSeq: number;
  /** Numbers of the DATA frames sent to the box and not yet acknowledged, oldest first. */
  readonly unacked: readonly number[];
  /** The highest DATA number from the box handed on to the engineer's WebSocket; -1 before any. */
  readonly delivered: number;
  /** What the last ACK sent to the box carried; -1 before any. */
  readonly ackSent: number;
  /** Last DATA either way (or the opening): the idle deadline counts from it. */
  readonly lastDataAt: number;
  /** Stream bytes from the box (the PLC) to the engineer. */
  readonly bytesUp: number;
  /** Stream bytes from the engineer to the box (the PLC). */
  readonly bytesDown: number;
}

/** A tunnel whose OPEN (number 0) is about to be sent. */
export function requestTunnel(now: number): Tunnel {
  return {
    phase: 'opening',
    requestedAt: now,
    openedAt: null,
    closedAt: null,
    closeReason: null,
    nextSendSeq: 1,
    nextRecvSeq: 0,
    unacked: [],
    delivered: -1,
    ackSent: -1,
    lastDataAt: now,
    bytesUp: 0,
    bytesDown: 0,
  };
}

export function openTunnel(t: Tunnel, now: number): Tunnel {
  return t.phase === 'opening' ? { ...t, phase: 'open', openedAt: now, lastDataAt: now } : t;
}

export function closeTunnel(t: Tunnel, reason: string, now: number): Tunnel {
  return t.phase === 'closed' ? t : { ...t, phase: 'closed', closedAt: now, closeReason: reason };
}

/** The number for the next frame sent to the box, whatever its type. */
export function takeSendSeq(t: Tunnel): { tunnel: Tunnel; seq: number } {
  return { tunnel: { ...t, nextSendSeq: t.nextSendSeq + 1 }, seq: t.nextSendSeq };
}

/**
 * A frame number from the box: `take` the expected one (the tunnel now expects the next),
 * drop a `duplicate` (a QoS 1 redelivery), close on `skipped`.
 */
export function receiveSeq(t: Tunnel, seq: number): { verdict: 'take' | 'duplicate' | 'skipped'; tunnel: Tunnel } {
  if (seq < t.nextRecvSeq) return { verdict: 'duplicate', tunnel: t };
  if (seq > t.nextRecvSeq) return { verdict: 'skipped', tunnel: t };
  return { verdict: 'take', tunnel: { ...t, nextRecvSeq: t.nextRecvSeq + 1 } };
}

/** How many more DATA frames may go to the box before an ACK. */
export function windowRoom(t: Tunnel): number {
  return WINDOW_FRAMES - t.unacked.length;
}

/** A DATA frame numbered `seq` carrying `bytes` went to the box. */
export function sentData(t: Tunnel, seq: number, bytes: number, now: number): Tunnel {
  return { ...t, unacked: [...t.unacked, seq], bytesDown: t.bytesDown + bytes, lastDataAt: now };
}

/**
 * The box acknowledged everything up to `acked`. Acknowledging a number never sent is a
 * broken frame (the box cannot have received it).
 */
export function ackFromBox(t: Tunnel, acked: number): { ok: true; tunnel: Tunnel } | { ok: false } {
  if (acked >= t.nextSendSeq) return { ok: false };
  return { ok: true, tunnel: { ...t, unacked: t.unacked.filter((seq) => seq > acked) } };
}

/** A DATA frame from the box, taken in order, carrying `bytes`. */
export function receivedData(t: Tunnel, bytes: number, now: number): Tunnel {
  return { ...t, bytesUp: t.bytesUp + bytes, lastDataAt: now };
}

/** The box's DATA up to `seq` reached the engineer's WebSocket without back-pressure. */
export function deliveredUpTo(t: Tunnel, seq: number): Tunnel {
  return seq > t.delivered ? { ...t, delivered: seq } : t;
}

/** The number an ACK to the box should carry now, or null when the last one said it all. */
export function ackDue(t: Tunnel): number | null {
  return t.delivered > t.ackSent ? t.delivered : null;
}

export function ackSentFor(t: Tunnel, acked: number): Tunnel {
  return { ...t, ackSent: Math.max(t.ackSent, acked) };
}

/** Why an open tunnel must close at `now`, or null while it may stay. */
export function dueClose(t: Tunnel, now: number, limits: TunnelLimits): string | null {
  if (t.phase !== 'open' || t.openedAt === null) return null;
  if (now - t.openedAt >= limits.maxDurationMs) return CLOSE_REASONS.maxDuration;
  if (now - t.lastDataAt >= limits.idleMs) return CLOSE_REASONS.idle;
  return null;
}

/** How long the tunnel was (or has been) open, for the timeline and the audit log. */
export function openDurationMs(t: Tunnel, now: number): number {
  if (t.openedAt === null) return 0;
  return Math.max(0, (t.closedAt ?? now) - t.openedAt);
}
