import { AppError } from '../../kernel/app-error.ts';
import type { Role } from '../../kernel/roles.ts';
import { appendRefusal, type EntryOf } from './domain/timeline-entry.ts';
import type { SessionCore } from './session-core.ts';
import { isAccountParticipant } from './store/participant-store.ts';

type TunnelFacts = { tunnelId: string; host: string; port: number };
type Actor = { username: string; role: Role };

/** What PLC tunnels need of a session: who may open one, and its timeline. */
export interface SessionTunnels {
  /**
   * The box of an active session `user` may tunnel into: an admin, or an engineer who opened,
   * started or joined the session. Technicians, after-sales and customer links never.
   */
  tunnelAccess(sessionId: number, user: { userId: number; username: string; role: Role }): Promise<{ serial: string; deviceId: number }>;
  /** Throws SESSION_NOT_FOUND for a session that does not exist. */
  requireTunnelSession(sessionId: number): Promise<void>;
  recordTunnelOpened(sessionId: number, at: number, by: Actor, facts: TunnelFacts): Promise<void>;
  recordTunnelClosed(
    sessionId: number,
    at: number,
    by: Actor | null,
    facts: TunnelFacts & { reason: string; durationMs: number; bytesUp: number; bytesDown: number },
  ): Promise<void>;
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function createSessionTunnels(core: SessionCore): SessionTunnels {
  const { deps, lock } = core;

  async function append(sessionId: number, entry: EntryOf<'tunnel-opened'> | EntryOf<'tunnel-closed'>) {
    await lock.run(sessionId, async () => {
      const s = await core.requireSession(sessionId);
      const refusal = appendRefusal(s.state, entry.kind);
      if (refusal) throw new AppError(refusal, { id: sessionId, state: s.state });
      await core.append(sessionId, [entry]);
    });
  }

  return {
    async tunnelAccess(sessionId, user) {
      const s = await core.requireSession(sessionId);
      if (s.state === 'queued') throw new AppError('SESSION_NOT_STARTED', { id: sessionId, state: s.state });
      if (s.state === 'ended') throw new AppError('SESSION_ENDED', { id: sessionId, state: s.state });
      if (user.role !== 'admin') {
        if (user.role !== 'engineer') throw new AppError('FORBIDDEN', { action: 'tunnel', reason: 'role', role: user.role });
        const takesPart =
          s.requestedBy === user.username || s.startedBy === user.username || (await isAccountParticipant(deps.db, sessionId, user.userId));
        if (!takesPart) throw new AppError('FORBIDDEN', { action: 'tunnel', reason: 'not-in-session' });
      }
      const device = await deps.db.selectFrom('devices').select('id').where('serial', '=', s.serial).executeTakeFirst();
      if (!device) throw new AppError('DEVICE_NOT_FOUND', { serial: s.serial });
      return { serial: s.serial, deviceId: device.id };
    },

    async requireTunnelSession(sessionId) {
      await core.requireSession(sessionId);
    },

    recordTunnelOpened: (sessionId, at, by, facts) =>
      append(sessionId, {
        at,
        author: { kind: 'user', ...by },
        kind: 'tunnel-opened',
        data: { ...facts, text: `Tunnel to ${facts.host}:${facts.port} opened by ${by.username}.` },
      }),

    recordTunnelClosed: (sessionId, at, by, facts) =>
      append(sessionId, {
        at,
        author: by ? { kind: 'user', ...by } : { kind: 'system' },
        kind: 'tunnel-closed',
        data: {
          ...facts,
          text: `Tunnel to ${facts.host}:${facts.port} closed (${facts.reason}) after ${duration(facts.durationMs)}: ${kib(facts.bytesDown)} to the box, ${kib(facts.bytesUp)} from it.`,
        },
      }),
  };
}
