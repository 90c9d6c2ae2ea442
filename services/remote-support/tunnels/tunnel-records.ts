import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { openDurationMs } from './domain/tunnel.ts';
import type { TunnelSessionPort } from './domain/tunnel-ports.ts';
import type { Actor, TunnelRelay } from './tunnel-relay.ts';
import { insertOpenedTunnel, recordClosedTunnel } from './store/tunnel-store.ts';

/**
 * The durable side of tunnels: the row, the audit line and the session's timeline entry for
 * each opening and closing. Per tunnel, in order (a tunnel closing right after it opened is
 * written after its opening), and never thrown at a socket: failures are logged.
 */
export interface TunnelRecords {
  opened(relay: TunnelRelay): void;
  closed(relay: TunnelRelay, by: Actor | null): void;
  /** Resolves once what was recorded so far for this tunnel is written. */
  written(tunnelId: string): Promise<void>;
  /** Resolves once every record asked for so far is written. */
  idle(): Promise<void>;
}

export function createTunnelRecords(deps: { db: Db; clock: Clock; log: Logger; sessions: TunnelSessionPort; nodeId: string | null }): TunnelRecords {
  const { db, clock, log, sessions, nodeId } = deps;
  const chains = new Map<string, Promise<void>>();
  const pending = new Set<Promise<void>>();

  function record(relay: TunnelRelay, write: () => Promise<void>): void {
    const key = relay.info.idText;
    const next = (chains.get(key) ?? Promise.resolve()).then(write).catch((err: unknown) => {
      log.error({ err, tunnelId: key, sessionId: relay.info.sessionId }, 'tunnel record not written');
    });
    chains.set(key, next);
    pending.add(next);
    void next.then(() => {
      pending.delete(next);
      if (chains.get(key) === next && relay.phase === 'closed') chains.delete(key);
    });
  }

  return {
    opened(relay) {
      const { info, state } = relay;
      const openedAt = state.openedAt ?? clock();
      record(relay, async () => {
        await insertOpenedTunnel(db, { ...info, id: info.idText, openedBy: info.openedBy.username, openedAt, nodeId });
        await sessions.recordOpened(info.sessionId, openedAt, info.openedBy, { tunnelId: info.idText, host: info.host, port: info.port });
      });
    },

    closed(relay, by) {
      const { info, state } = relay;
      // A tunnel the box never opened has no record: its refusal or timeout is the API's answer.
      if (state.openedAt === null) return;
      const closedAt = state.closedAt ?? clock();
      const facts = { tunnelId: info.idText, host: info.host, port: info.port };
      const closed = {
        reason: state.closeReason ?? 'closed',
        durationMs: openDurationMs(state, closedAt),
        bytesUp: state.bytesUp,
        bytesDown: state.bytesDown,
      };
      record(relay, async () => {
        const row = { id: info.idText, deviceId: info.deviceId, sessionId: info.sessionId, host: info.host, port: info.port };
        await recordClosedTunnel(db, { ...row, closedAt, actor: by?.username ?? 'system', ...closed });
        await sessions.recordClosed(info.sessionId, closedAt, by, { ...facts, ...closed });
      });
    },

    written: (tunnelId) => chains.get(tunnelId) ?? Promise.resolve(),

    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
