import { appendAudit } from '../../platform/audit/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { CommandOutcome } from './domain/command-port.ts';
import { finishCommand, type CommandRecord } from './store/command-store.ts';

/** Stores a command's outcome and its audit entry; answers false when the command already had an outcome. */
export type RecordOutcome = (deviceId: number, r: CommandRecord, outcome: CommandOutcome) => Promise<boolean>;

/**
 * The outcome row and the audit entry are written in one transaction, so neither exists without
 * the other, and only by the call that finished the command, so a command racing to two
 * outcomes gets one entry. `counts` (by final status) grows once each is committed: what
 * /metrics reports.
 */
export function createOutcomeRecorder(db: Db, clock: Clock, counts: Record<string, number> = {}): RecordOutcome {
  return async (deviceId, r, outcome) => {
    const now = clock();
    const finished = await db.transaction().execute(async (tx) => {
      if (!(await finishCommand(tx, r.id, outcome, now))) return false;
      // Seed of the audit trail: who sent what to which box, and what came back.
      await appendAudit(tx, {
        entityKind: 'device',
        entityId: deviceId,
        at: now,
        actor: r.requestedBy,
        action: 'command',
        from: null,
        to: outcome.status,
        reason: `${r.name} ${JSON.stringify(r.args)}`.slice(0, 2000),
        data: {
          commandId: r.id,
          name: r.name,
          ...(r.sessionId !== null ? { sessionId: r.sessionId } : {}),
          ...(outcome.error ? { error: outcome.error } : {}),
        },
      });
      return true;
    });
    if (finished) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
    return finished;
  };
}
