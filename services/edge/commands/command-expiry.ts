import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { RecordOutcome } from './command-outcome-recorder.ts';
import { failedOutcome } from './domain/response-outcome.ts';
import { closeSentCommands, expiredQueuedCommands, recordFromRow, sentCommandsOf } from './store/command-store.ts';

/** Queued commands past their deadline end timed out, each with its audit entry; answers how many. */
export async function expireQueued(db: Db, clock: Clock, record: RecordOutcome): Promise<number> {
  let ended = 0;
  for (const row of await expiredQueuedCommands(db, clock())) {
    const r = recordFromRow(row);
    // Another sweep (another node's) or a delivery may have taken the row since it was read.
    if (await record(row.device_id, r, failedOutcome(r.id, 'expired', 'the box did not reconnect before the command expired', 'timed-out'))) ended++;
  }
  return ended;
}

/**
 * A command's waiter lives in memory, so one sent before a restart can never be answered: at
 * start every command still marked sent is closed as timed out. Answers how many.
 */
export function recoverSent(db: Db, clock: Clock): Promise<number> {
  return closeSentCommands(db, clock(), { code: 'backend-restarted', message: 'the backend restarted while waiting for the answer' });
}

/**
 * In a cluster: the node whose caller waited for these commands is gone, so no answer can reach
 * anyone; they end timed out, each with its audit entry. Answers how many this call ended.
 */
export async function releaseNodeCommands(db: Db, nodeId: string | null, record: RecordOutcome): Promise<number> {
  let ended = 0;
  for (const row of await sentCommandsOf(db, nodeId)) {
    const r = recordFromRow(row);
    // The box may answer a live waiter's command meanwhile; only a command still open is ended.
    if (await record(row.device_id, r, failedOutcome(r.id, 'node-stopped', 'the backend node waiting for the answer stopped', 'timed-out'))) ended++;
  }
  return ended;
}
