import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RecordOutcome } from './command-outcome-recorder.ts';
import type { CommandActor } from './domain/command-port.ts';
import { failedOutcome } from './domain/response-outcome.ts';
import { claimQueued, queuedCommandsOf, recordFromRow, type CommandRecord } from './store/command-store.ts';
import type { WaitingCommands } from './waiting-commands.ts';

export interface QueuedDeliveryDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  record: RecordOutcome;
  waiting: WaitingCommands;
  expireQueued: () => Promise<number>;
  /** This node in a cluster: the waiter of a delivered command lives here (null on a single node). */
  nodeId: string | null;
  beforeParamsSet?: (serial: string, actor: CommandActor) => Promise<void>;
}

/** A queued parameter change gets its backup now, when the box can be read; answers whether it may go on. */
async function backUpBeforeParamsSet(serial: string, r: CommandRecord, deviceId: number, deps: QueuedDeliveryDeps): Promise<boolean> {
  if (r.name !== 'params.set' || !deps.beforeParamsSet) return true;
  // Authorisation happened when the command was accepted; the role is not stored with it.
  const backedUp = await deps.beforeParamsSet(serial, { username: r.requestedBy, role: 'admin' }).then(
    () => true,
    () => false,
  );
  if (!backedUp)
    await deps.record(
      deviceId,
      r,
      failedOutcome(r.id, 'backup-failed', 'the parameters could not be backed up before the change; nothing was changed'),
    );
  return backedUp;
}

/** Sends, in the order they were asked for, the box's queued commands that have not expired. */
async function deliver(serial: string, deps: QueuedDeliveryDeps): Promise<void> {
  await deps.expireQueued();
  const device = await deps.db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirst();
  if (!device) return;
  for (const row of await queuedCommandsOf(deps.db, device.id)) {
    const now = deps.clock();
    // The caller's timeout applies from delivery, within the queued command's lifetime.
    const stored = recordFromRow(row);
    const r: CommandRecord = { ...stored, deadline: Math.min(stored.deadline, now + stored.timeoutMs) };
    // Claimed before anything else: an expiry sweep or another connect may have read the same row.
    if (!(await claimQueued(deps.db, r.id, now, deps.nodeId))) continue;
    if (!(await backUpBeforeParamsSet(serial, r, device.id, deps))) continue;
    deps.log.info({ serial, id: r.id, name: r.name }, 'delivering a queued command');
    void deps.waiting.dispatch(serial, device.id, r);
  }
}

/**
 * A box connected: its queued commands go out now. Runs in the background (the broker's connect
 * hook does not wait); a failure leaves the rest queued for the next connect.
 */
export function deliverQueued(serial: string, deps: QueuedDeliveryDeps): void {
  const delivery = deliver(serial, deps).catch((err: unknown) => deps.log.error({ err, serial }, 'queued commands not delivered; they stay queued'));
  deps.waiting.track(delivery);
}
