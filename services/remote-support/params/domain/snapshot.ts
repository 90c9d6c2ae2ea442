import { z } from 'zod';
import type { ParamSet } from '../../../contract/payloads.ts';

/**
 * Why a snapshot was taken. `manual`: a person asked; `before-params-set` and
 * `before-restore`: taken automatically so a change can be undone; `rma-opened`: the box
 * is about to be shipped in for repair; `schedule`: the periodic automatic backup.
 */
export const SNAPSHOT_REASONS = ['manual', 'before-params-set', 'rma-opened', 'schedule', 'before-restore'] as const;
export const SnapshotReason = z.enum(SNAPSHOT_REASONS);
export type SnapshotReason = z.infer<typeof SnapshotReason>;

/** One stored copy of a box's whole parameter set, immutable once written. */
export interface ParamSnapshot {
  id: number;
  deviceId: number;
  serial: string;
  /** sha256 of the canonical JSON of `params` (snapshot-hash.ts). */
  hash: string;
  /** Bytes of that canonical JSON. */
  size: number;
  /** Number of parameters. */
  count: number;
  /** Model and firmware of the box when the snapshot was taken. */
  model: string;
  firmware: string | null;
  reason: SnapshotReason;
  note: string | null;
  ticketId: number | null;
  createdBy: string;
  createdAt: number;
}

export interface ParamSnapshotWithParams extends ParamSnapshot {
  params: ParamSet;
}
