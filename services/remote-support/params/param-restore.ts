import { z } from 'zod';
import type { CommandActor, CommandOutcome, CommandPort } from '../../edge/commands/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { planRestore, verifyRestore, type BoxBuild, type Mismatch } from './domain/restore-plan.ts';
import type { ParamSnapshotWithParams } from './domain/snapshot.ts';
import { PARAMS_TIMEOUT_MS, readBoxParams } from './read-box-params.ts';

export interface RestoreRequest {
  backupId: number;
  force?: boolean | undefined;
  /** Parameters to leave as they are on the box, e.g. another box's IMEI when restoring onto a replacement. */
  skip?: readonly string[] | undefined;
}

export interface RestoreReport {
  verified: boolean;
  /** `reason`: why it was not written, when known (refused by the box, not on the box). */
  mismatches: Record<string, Mismatch & { reason?: string }>;
  /** Changed parameters that read back with the snapshot's value. */
  applied: string[];
  /** What the box said about each parameter it refused. */
  refused: Record<string, string>;
  notOnBox: string[];
  skipped: string[];
  backupId: number;
  beforeRestoreSnapshotId: number;
  compatibility: { forced: string[]; notes: string[] };
  /** The `params.set` outcome; null when the box already held every value. */
  write: Pick<CommandOutcome, 'status' | 'error'> | null;
}

/** A box to restore to: its id and serial with the model and firmware it runs now. */
export interface RestoreTarget extends BoxBuild {
  id: number;
  serial: string;
}

const Refusals = z.object({ refused: z.record(z.string(), z.string()) });

/** What the box said about each refused parameter, from a `params-refused` answer. */
function refusedBy(out: CommandOutcome): Record<string, string> {
  if (out.status !== 'failed' || out.error?.code !== 'params-refused') return {};
  const parsed = Refusals.safeParse(out.error.details);
  return parsed.success ? parsed.data.refused : {};
}

/**
 * Writes a compatible snapshot back to a box: before-restore snapshot, only the differing
 * parameters in one `params.set`, then a full read-back verified against the snapshot.
 */
export async function restoreSnapshot(
  deps: {
    commands: CommandPort;
    logger: Logger;
    /** Throws BACKUP_FAILED when the box cannot be read; then nothing is written. */
    backupBeforeRestore(note: string): Promise<ParamSnapshotWithParams>;
  },
  box: RestoreTarget,
  snapshot: ParamSnapshotWithParams,
  compatibility: RestoreReport['compatibility'],
  skip: readonly string[],
  actor: CommandActor,
): Promise<RestoreReport> {
  // Taken first and required: a restore that cannot be undone is not started.
  const before = await deps.backupBeforeRestore(`before restoring snapshot ${snapshot.id}`);
  const plan = planRestore(snapshot.params, before.params, skip);
  const changed = Object.keys(plan.changes);
  let actual = before.params;
  let write: RestoreReport['write'] = null;
  let refused: Record<string, string> = {};
  if (changed.length > 0) {
    const out = await deps.commands.send(box.serial, { name: 'params.set', args: { changes: plan.changes }, timeoutMs: PARAMS_TIMEOUT_MS }, actor);
    write = { status: out.status, ...(out.error ? { error: out.error } : {}) };
    refused = refusedBy(out);
    // Whatever the answer, the read-back decides: a timed-out params.set may still have been applied.
    const read = await readBoxParams(deps.commands, box.serial, actor);
    if (!read.ok) {
      throw new AppError('PARAMS_READ_FAILED', {
        serial: box.serial,
        problem: read.problem,
        command: read.command,
        write,
        beforeRestoreSnapshotId: before.id,
      });
    }
    actual = read.params;
  }
  const { verified, mismatches } = verifyRestore(plan.expected, actual);
  const notOnBox = new Set(plan.notOnBox);
  const refusedCount = Object.keys(refused).length;
  const explained: RestoreReport['mismatches'] = {};
  for (const [name, m] of Object.entries(mismatches)) {
    const reason =
      refused[name] ??
      (notOnBox.has(name) ? 'the box has no such parameter, so it was not sent' : undefined) ??
      (refusedCount > 0 && name in plan.changes
        ? `not applied: params.set is all or nothing and the box refused ${refusedCount} parameter(s)`
        : undefined);
    explained[name] = reason === undefined ? m : { ...m, reason };
  }
  const applied = changed.filter((name) => Object.hasOwn(actual, name) && actual[name] === plan.changes[name]);
  deps.logger.info(
    { serial: box.serial, backupId: snapshot.id, verified, mismatches: Object.keys(mismatches).length, applied: applied.length },
    'parameters restored',
  );
  return {
    verified,
    mismatches: explained,
    applied,
    refused,
    notOnBox: plan.notOnBox,
    skipped: plan.skipped,
    backupId: snapshot.id,
    beforeRestoreSnapshotId: before.id,
    compatibility,
    write,
  };
}
