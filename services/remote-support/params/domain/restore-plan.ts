import type { ParamSet, ParamValue } from '../../../contract/payloads.ts';

/** Model and firmware of a box, now or when a snapshot was taken. */
export interface BoxBuild {
  model: string;
  firmware: string | null;
}

export type RestoreCompatibility =
  /** `forced`: the reasons a restore would have been refused for, overridden by force. */
  { ok: true; forced: string[]; notes: string[] } | { ok: false; reasons: string[] };

/** The major version: the first number in the version string (`2.3.1`, `V2.3`, `fw-2.3.1` → 2). */
export function firmwareMajor(firmware: string | null): number | null {
  const m = firmware === null ? null : /\d+/.exec(firmware);
  return m ? Number(m[0]) : null;
}

const sameModel = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

/**
 * Whether a snapshot's parameters may be written to a box. Another model, another major
 * firmware version, or a firmware that is not known is refused unless forced: parameter
 * names, ranges and meanings may differ there, and a box configured with values meant for
 * another build can lose its PLC link or its network.
 */
export function checkRestoreCompatibility(snapshot: BoxBuild, box: BoxBuild, force: boolean): RestoreCompatibility {
  const reasons: string[] = [];
  const notes: string[] = [];
  if (!sameModel(snapshot.model, box.model)) {
    reasons.push(`the snapshot was taken on a ${snapshot.model} and this box is a ${box.model}: parameter names and ranges differ between models`);
  }
  const [from, to] = [firmwareMajor(snapshot.firmware), firmwareMajor(box.firmware)];
  if (from === null || to === null) {
    const unknown = from === null ? 'when the snapshot was taken' : 'of this box';
    reasons.push(`the firmware version ${unknown} is not known, so it cannot be checked that the parameters fit it`);
  } else if (from !== to) {
    reasons.push(
      `the snapshot was taken on firmware ${snapshot.firmware} and this box runs ${box.firmware}: a major version may rename parameters or change what they mean`,
    );
  } else if (snapshot.firmware!.trim() !== box.firmware!.trim()) {
    notes.push(
      `firmware differs within major version ${to} (${snapshot.firmware} → ${box.firmware}): parameters this box does not have are reported, not sent`,
    );
  }
  if (reasons.length > 0 && !force) return { ok: false, reasons };
  return { ok: true, forced: reasons, notes };
}

/** What a restore sends and what it then expects to read back. */
export interface RestorePlan {
  /** The `params.set` changes: snapshot values the box has a different value for. */
  changes: ParamSet;
  /**
   * Snapshot parameters the box does not have. Not sent: the box refuses unknown names and
   * `params.set` is atomic, so one of them would stop every other change too.
   */
  notOnBox: string[];
  /** Snapshot parameters the caller chose to leave as they are on the box. */
  skipped: string[];
  /** The snapshot without the skipped parameters: what the box should hold afterwards. */
  expected: ParamSet;
}

/**
 * The changes that bring `current` to `snapshot`. Parameters the box has and the snapshot
 * does not are left alone: a parameter cannot be deleted, and the firmware's value is as
 * good a guess as any.
 */
export function planRestore(snapshot: Readonly<ParamSet>, current: Readonly<ParamSet>, skip: readonly string[] = []): RestorePlan {
  const skipSet = new Set(skip);
  const plan: RestorePlan = { changes: {}, notOnBox: [], skipped: [], expected: {} };
  for (const name of Object.keys(snapshot).sort()) {
    const value = snapshot[name]!;
    if (skipSet.has(name)) {
      plan.skipped.push(name);
      continue;
    }
    plan.expected[name] = value;
    if (!Object.hasOwn(current, name)) plan.notOnBox.push(name);
    else if (current[name] !== value) plan.changes[name] = value;
  }
  return plan;
}

export interface Mismatch {
  expected: ParamValue;
  /** null: the box has no such parameter. */
  actual: ParamValue | null;
}

export interface Verification {
  verified: boolean;
  mismatches: Record<string, Mismatch>;
}

/** Compares what the box reads back after a restore with what was meant to be there. */
export function verifyRestore(expected: Readonly<ParamSet>, actual: Readonly<ParamSet>): Verification {
  const mismatches: Record<string, Mismatch> = {};
  for (const name of Object.keys(expected).sort()) {
    const want = expected[name]!;
    const got = Object.hasOwn(actual, name) ? actual[name]! : null;
    if (got !== want) mismatches[name] = { expected: want, actual: got };
  }
  return { verified: Object.keys(mismatches).length === 0, mismatches };
}
