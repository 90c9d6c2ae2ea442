import type { ParamSet } from '../../../contract/payloads.ts';
import { diffParams, type ParamDiff } from './param-diff.ts';
import { checkRestoreCompatibility, planRestore, type BoxBuild } from './restore-plan.ts';

/** What a restore of a snapshot onto a box would do, worked out without writing anything. */
export interface RestorePreview {
  /**
   * `allowed` false: the restore is refused unless forced, for `reasons` (all of them, in
   * words); `notes` are what is allowed but worth knowing (another minor firmware version).
   */
  compatibility: { allowed: boolean; reasons: string[]; notes: string[] };
  /**
   * From the box now to the snapshot: `changed` is what the restore writes (the box's value →
   * the snapshot's), `added` the snapshot parameters the box does not have (not sent, reported
   * as mismatches), `removed` the box's parameters the snapshot lacks (left alone).
   */
  diff: ParamDiff;
  /** Snapshot parameters the box already holds with the snapshot's value. */
  unchanged: number;
}

/**
 * The same verdict and plan `POST /api/devices/:sn/restore` would reach with the box's current
 * parameters, so a person can see both before confirming.
 */
export function previewRestore(snapshot: BoxBuild & { params: Readonly<ParamSet> }, box: BoxBuild, current: Readonly<ParamSet>): RestorePreview {
  // Forced, the check answers every reason instead of stopping at a refusal.
  const compat = checkRestoreCompatibility(snapshot, box, true);
  const { reasons, notes } = compat.ok ? { reasons: compat.forced, notes: compat.notes } : { reasons: compat.reasons, notes: [] };
  const plan = planRestore(snapshot.params, current);
  const diff = diffParams(current, snapshot.params);
  return {
    compatibility: { allowed: reasons.length === 0, reasons, notes },
    diff,
    unchanged: Object.keys(plan.expected).length - Object.keys(plan.changes).length - plan.notOnBox.length,
  };
}
