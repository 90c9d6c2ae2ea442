import type { PublishPacket } from 'aedes';
import type { Clock } from '../services/kernel/clock.ts';
import { HEADER_BYTES, MAX_DATA_BYTES } from '../services/contract/tunnel-frames.ts';
import type { Logger } from '../services/platform/logger.ts';
import type { BoxSession } from './box-sessions.ts';

/** The largest tun/up payload: one frame header and the largest body (a full DATA frame). */
export const MAX_TUNNEL_PAYLOAD_BYTES = HEADER_BYTES + MAX_DATA_BYTES;

export interface TunnelIntakeStats {
  frames: number;
  /** Payloads over MAX_TUNNEL_PAYLOAD_BYTES, dropped before anyone decodes them. */
  oversized: number;
}

export interface TunnelIntake {
  /** Runs inside aedes' authorizePublish: hands the payload on and acknowledges it, whatever it holds. */
  handle(session: BoxSession, packet: PublishPacket, done: (err?: Error | null) => void): void;
  stats(): TunnelIntakeStats;
}

export interface TunnelIntakeDeps {
  clock: Clock;
  logger: Logger;
  /** The tunnel service: decodes the frame itself (tunnel-frames.ts never throws on input). */
  onFrame?: (serial: string, payload: Buffer) => void;
}

// One log line per box per window, as the JSON intake does for rejected messages.
const LOG_WINDOW_MS = 10_000;

/**
 * The broker's side of tun/up: binary frames skip the JSON decode path. A payload too large
 * for any frame is dropped (and counted) here; a hostile box's garbage is acknowledged so it
 * is not resent, and the tunnel service decides what a well-sized payload means.
 */
export function createTunnelIntake(deps: TunnelIntakeDeps): TunnelIntake {
  const stats: TunnelIntakeStats = { frames: 0, oversized: 0 };
  const lastLogged = new Map<number, number>();

  function warnOnce(session: BoxSession, msg: string, detail: Record<string, unknown>) {
    const now = deps.clock();
    const last = lastLogged.get(session.deviceId);
    if (last !== undefined && now - last < LOG_WINDOW_MS) return;
    lastLogged.set(session.deviceId, now);
    deps.logger.warn({ serial: session.serial, address: session.address, ...detail }, msg);
  }

  return {
    handle(session, packet, done) {
      // Nothing on tun/up is ever kept as a retained message.
      packet.retain = false;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      if (payload.length > MAX_TUNNEL_PAYLOAD_BYTES) {
        stats.oversized++;
        warnOnce(session, 'tunnel frame dropped: larger than any frame', { bytes: payload.length, limit: MAX_TUNNEL_PAYLOAD_BYTES });
        return done(null);
      }
      stats.frames++;
      done(null);
      try {
        deps.onFrame?.(session.serial, payload);
      } catch (err) {
        // A bug in the tunnel service must not take the broker down with a box's frame.
        deps.logger.error({ err, serial: session.serial }, 'tunnel frame handler failed');
      }
    },
    stats: () => ({ ...stats }),
  };
}
