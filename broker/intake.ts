import type { PublishPacket } from 'aedes';
import type { Clock } from '../services/kernel/clock.ts';
import type { CommandResponse } from '../services/contract/payloads.ts';
import type { DeviceChannel } from '../services/contract/topics.ts';
import { decodeDeviceMessage, type DecodedMessage, type DecodeLimits } from '../services/edge/intake/index.ts';
import type { IntakeStore, SaveResult } from '../services/edge/intake/index.ts';
import type { Logger } from '../services/platform/logger.ts';
import { REJECTION_REASONS, type RejectionReason } from '../services/contract/rejection-reasons.ts';
import type { ShadowService } from '../services/edge/presence/index.ts';
import type { TelemetryStore } from '../services/edge/telemetry/index.ts';
import type { BoxSession } from './box-sessions.ts';

export interface IntakeDeps {
  clock: Clock;
  logger: Logger;
  limits: DecodeLimits;
  telemetry: TelemetryStore;
  store: IntakeStore;
  shadows: ShadowService;
  /** Told after a fault or event is committed and acknowledged; runs triage off the ack path. */
  onStored?: (kind: 'fault' | 'event', rowId: number) => void;
  /** A box answered a remote command. */
  onCommandResponse?: (serial: string, response: CommandResponse) => void;
  /** A box answered a remote command with a payload that breaks the contract. */
  onInvalidCommandResponse?: (serial: string, commandId: string, reason: RejectionReason, detail: string) => void;
  /**
   * Told about every accepted message, validated: telemetry, status and command answers at
   * once, faults and events after their commit (a redelivered duplicate is not told again).
   * Runs on the intake path at full telemetry rate, so it must be cheap and must not throw.
   */
  onAccepted?: (serial: string, channel: DecodedMessage['channel'], payload: DecodedMessage['payload']) => void;
}

export interface IntakeStats {
  accepted: number;
  rejected: number;
  duplicates: number;
}

/** Running totals for the metrics, read when scraped. */
export interface IntakeCounts {
  /** Valid messages received by channel, indexed by QoS; a resent fault or event counts again. */
  received: Readonly<Record<DecodedMessage['channel'], readonly number[]>>;
  /** Messages refused for their payload, by reason. */
  rejected: Readonly<Record<RejectionReason, number>>;
}

export interface Intake {
  /**
   * Runs inside aedes' authorizePublish, i.e. before the PUBACK: `done()` is called only once
   * a fault or event is committed, so an acknowledged message survives a kill -9 at any moment.
   */
  handle(session: BoxSession, channel: DeviceChannel, packet: PublishPacket, done: (err?: Error | null) => void): void;
  stats(): IntakeStats;
  counts(): IntakeCounts;
}

// A box stuck sending bad payloads must not flood the log: one line per box per window,
// carrying how many were rejected since the last line. Every rejection is still counted.
const REJECTION_LOG_WINDOW_MS = 10_000;

export function createIntake(deps: IntakeDeps): Intake {
  const stats = { accepted: 0, duplicates: 0 };
  const lastLogged = new Map<number, { at: number; suppressed: number }>();
  // Allocated once: counting a message is an index increment, nothing more (the telemetry path is benchmarked).
  const received: Record<DecodedMessage['channel'], number[]> = {
    telemetry: [0, 0, 0],
    fault: [0, 0, 0],
    event: [0, 0, 0],
    status: [0, 0, 0],
    'cmd/res': [0, 0, 0],
  };
  const rejected = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>;

  function durable(
    message: Extract<DecodedMessage, { channel: 'fault' | 'event' }>,
    p: Promise<SaveResult>,
    session: BoxSession,
    done: (err?: Error | null) => void,
  ) {
    p.then(
      (r) => {
        if (r.stored) stats.accepted++;
        else stats.duplicates++;
        done(null);
        if (r.stored) {
          deps.onStored?.(message.channel, r.rowId);
          deps.onAccepted?.(session.serial, message.channel, message.payload);
        }
      },
      (err: unknown) => {
        // Not stored, so not acknowledged: closing the connection makes the box resend it.
        deps.logger.error({ err, serial: session.serial }, 'could not store a QoS 1 message; the box will resend it');
        done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  return {
    handle(session, channel, packet, done) {
      const now = deps.clock();
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const decoded = decodeDeviceMessage(channel, payload, now, deps.limits);
      if (!decoded.ok) {
        rejected[decoded.reason]++;
        deps.shadows.rejected(session.deviceId, decoded.reason, now);
        const last = lastLogged.get(session.deviceId);
        if (last && now - last.at < REJECTION_LOG_WINDOW_MS) {
          last.suppressed++;
        } else {
          deps.logger.warn(
            {
              serial: session.serial,
              address: session.address,
              channel,
              reason: decoded.reason,
              detail: decoded.detail,
              ...(last?.suppressed ? { alsoRejectedSinceLastLog: last.suppressed } : {}),
            },
            `rejected ${channel} message: ${decoded.reason}`,
          );
          lastLogged.set(session.deviceId, { at: now, suppressed: 0 });
        }
        // Acknowledged anyway: a box must not resend a message that can never be valid.
        // Clearing retain keeps an invalid status from becoming the retained value.
        packet.retain = false;
        done(null);
        if (decoded.commandId !== undefined) deps.onInvalidCommandResponse?.(session.serial, decoded.commandId, decoded.reason, decoded.detail);
        return;
      }
      const { message } = decoded;
      received[message.channel][packet.qos]!++;
      // No closure, spread or other avoidable allocation per message here: this runs for
      // every telemetry message (BENCHMARKS.md).
      switch (message.channel) {
        case 'telemetry': {
          const { ts, seq, metrics } = message.payload;
          const room = deps.telemetry.append({ deviceId: session.deviceId, serial: session.serial, ts, receivedAt: now, seq, metrics });
          deps.shadows.telemetry(session.deviceId, message.payload, now);
          stats.accepted++;
          // A full store (InfluxDB's spool while the server is away) holds the acknowledgement:
          // aedes reads no more from this box until done() runs, so back-pressure reaches its
          // socket and nothing is dropped. The message itself is already kept.
          if (room) done(null);
          else deps.telemetry.whenRoom(() => done(null));
          return deps.onAccepted?.(session.serial, message.channel, message.payload);
        }
        case 'fault':
          return durable(message, deps.store.saveFault({ ...message.payload, deviceId: session.deviceId, receivedAt: now }), session, done);
        case 'event':
          return durable(message, deps.store.saveEvent({ ...message.payload, deviceId: session.deviceId, receivedAt: now }), session, done);
        case 'status':
          deps.shadows.status(session.deviceId, message.payload, now);
          stats.accepted++;
          done(null);
          return deps.onAccepted?.(session.serial, message.channel, message.payload);
        case 'cmd/res':
          stats.accepted++;
          done(null);
          deps.onCommandResponse?.(session.serial, message.payload);
          return deps.onAccepted?.(session.serial, message.channel, message.payload);
      }
    },
    // Rejections are counted once, by reason (for the metrics); the total is their sum.
    stats: () => ({ ...stats, rejected: REJECTION_REASONS.reduce((n, r) => n + rejected[r], 0) }),
    counts: () => ({ received, rejected }),
  };
}
