import type { Role } from '../../kernel/roles.ts';
import type { CommandInput, CommandOutcome, CommandPort, CommandStatus } from '../../edge/commands/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import { participantKey } from './domain/participant.ts';
import { appendRefusal, type CommandResultStatus, type EntryOf } from './domain/timeline-entry.ts';
import type { SessionCore } from './session-core.ts';
import { loadSession } from './store/remote-session-store.ts';

/** True only when two unions of words hold the same words. */
type SameWords<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * The timeline records the command service's statuses in its own words (domain/timeline-entry.ts
 * keeps the sessions domain free of the commands capability); this stops the build when they drift apart.
 */
export const TIMELINE_RECORDS_COMMAND_STATUSES: SameWords<Exclude<CommandResultStatus, 'not-sent'>, CommandStatus> = true;

export interface CommandRun {
  /** null when the command service threw instead of answering (`error`). */
  outcome: CommandOutcome | null;
  error: unknown;
  commandSeq: number;
  resultSeq: number;
}

export interface SessionCommands {
  /** Records the command, sends it with the session's id, records the result. */
  run(sessionId: number, actor: { username: string; role: Role }, input: CommandInput, serial?: string): Promise<CommandRun>;
  /** For POST /api/devices/:sn/commands: the active session this account is in on the box, true for an admin outside one, else false. */
  commandAccess(user: { userId: number; username: string; role: Role }, serial: string): Promise<boolean | number>;
  /** Sends through the command service; a command carrying a session id is recorded on that session's timeline. */
  port: CommandPort;
  idle(): Promise<void>;
}

function notSent(error: unknown): EntryOf<'command-result'>['data']['error'] {
  if (!(error instanceof AppError)) return { code: 'INTERNAL', message: 'the command was not sent' };
  const d = error.details;
  const details = typeof d === 'object' && d !== null && !Array.isArray(d) ? { details: d as Record<string, unknown> } : {};
  return { code: error.code, message: 'the command was not sent', ...details };
}

/** Commands from a session: both entries go on its timeline, whether the box answered or not. */
export function createSessionCommands(core: SessionCore): SessionCommands {
  const { deps, lock, log } = core;
  const inFlight = new Set<Promise<unknown>>();

  function tracked<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    const forget = () => inFlight.delete(p);
    void p.then(forget, forget);
    return p;
  }

  async function run(sessionId: number, actor: { username: string; role: Role }, input: CommandInput, serial?: string): Promise<CommandRun> {
    // Recorded before it is sent: the room sees the request at once, the result when it comes.
    const { session, commandSeq } = await lock.run(sessionId, async () => {
      const s = await core.requireSession(sessionId);
      if (serial !== undefined && s.serial !== serial) throw new AppError('FORBIDDEN', { sessionId, serial, reason: 'other-box' });
      const refusal = appendRefusal(s.state, 'command');
      if (refusal) throw new AppError(refusal, { id: sessionId, state: s.state });
      const data = { name: input.name, args: input.args ?? {}, timeoutMs: input.timeoutMs ?? null };
      const [entry] = await core.append(sessionId, [{ at: deps.clock(), author: { kind: 'user', ...actor }, kind: 'command', data }]);
      return { session: s, commandSeq: entry!.seq };
    });
    let outcome: CommandOutcome | null = null;
    let error: unknown = null;
    try {
      outcome = await deps.commands.send(session.serial, input, { username: actor.username, role: actor.role, sessionId });
    } catch (err) {
      error = err;
      if (!(err instanceof AppError)) log.error({ err, sessionId }, 'session command failed');
    }
    const answered = outcome?.status === 'succeeded' || outcome?.status === 'failed';
    const data: EntryOf<'command-result'>['data'] = outcome
      ? {
          commandSeq,
          commandId: outcome.id,
          status: outcome.status,
          ...(outcome.result !== undefined ? { result: outcome.result } : {}),
          error: outcome.error ?? null,
        }
      : { commandSeq, commandId: null, status: 'not-sent', error: notSent(error) };
    // A result is a fact about the box: recorded even if the session ended meanwhile.
    const [result] = await lock.run(sessionId, () =>
      core.append(sessionId, [
        { at: deps.clock(), author: answered ? { kind: 'box', serial: session.serial } : { kind: 'system' }, kind: 'command-result', data },
      ]),
    );
    return { outcome, error, commandSeq, resultSeq: result!.seq };
  }

  return {
    run: (sessionId, actor, input, serial) => tracked(run(sessionId, actor, input, serial)),

    async commandAccess(user, serial) {
      const key = participantKey({ kind: 'account', ...user });
      for (const id of core.openBySerial.get(serial) ?? []) {
        // In the room through this node, or (a cluster) through another one.
        if (!core.presence.get(id)?.has(key) && !(await core.connectedElsewhere(id, key))) continue;
        const session = await loadSession(deps.db, id);
        if (session?.state === 'active') return id;
      }
      return user.role === 'admin';
    },

    port: {
      async send(serial, input, actor) {
        if (actor.sessionId === undefined) return deps.commands.send(serial, input, actor);
        const r = await tracked(run(actor.sessionId, { username: actor.username, role: actor.role }, input, serial));
        if (!r.outcome) throw r.error;
        return r.outcome;
      },
    },

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
