import { z } from 'zod';
import { CommandError, PARAM_NAME, ParamSet, ParamValue } from '../../../contract/payloads.ts';
import { COMMAND_STATUSES } from '../../../edge/commands/index.ts';
import { cursorParam, IdKey, PageLimit } from '../../../kernel/page-cursor.ts';
import { intParam } from '../../../kernel/time-params.ts';
import { Serial } from '../../../contract/serial.ts';
import { SnapshotReason } from '../domain/snapshot.ts';

/** HTTP request and response schemas of the parameter-backup API; openapi.json is generated from these. */

export const BackupId = intParam(1, 999_999_999);
export const BackupParams = z.object({ id: BackupId });
export const BackupPairParams = z.object({ a: BackupId, b: BackupId });
export const BackupSerialParams = z.object({ sn: Serial });

export const BackupListQuery = z.object({ limit: PageLimit, cursor: cursorParam(IdKey).optional() });
export const LiveDiffQuery = z.object({
  sn: Serial.optional().describe('compare with this box instead of the one the snapshot was taken of'),
});
export const RestoreCheckQuery = z.object({
  sn: Serial.optional().describe('check a restore onto this box (e.g. a replacement unit) instead of the one the snapshot was taken of'),
});

/** A person's backup. The automatic reasons (before a change, on schedule) are set by the backend itself. */
export const NewBackupBody = z
  .object({
    reason: SnapshotReason.extract(['manual', 'rma-opened']).default('manual'),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

export const RestoreBody = z
  .object({
    backupId: z.number().int().positive(),
    force: z.boolean().optional().describe('restore even onto another model or major firmware version'),
    skip: z
      .array(z.string().regex(PARAM_NAME, 'parameter names are dotted, e.g. plc.baud'))
      .max(10_000)
      .optional()
      .describe("parameters to leave as they are on the box, e.g. another box's network.imei"),
  })
  .strict();

export const SnapshotSummary = z.object({
  id: z.number().int(),
  serial: z.string(),
  hash: z.string().describe('sha256 of the canonical JSON of the parameters (keys sorted)'),
  size: z.number().int().describe('bytes of that JSON'),
  count: z.number().int().describe('number of parameters'),
  model: z.string().describe('of the box when the snapshot was taken'),
  firmware: z.string().nullable(),
  reason: SnapshotReason,
  note: z.string().nullable(),
  ticketId: z.number().int().nullable(),
  createdBy: z.string(),
  createdAt: z.number().int(),
});

export const CreatedSnapshot = SnapshotSummary.extend({
  deduplicated: z.boolean().describe("true: the box's newest snapshot already held these parameters and is answered instead"),
});

export const SnapshotDetail = SnapshotSummary.extend({ params: ParamSet });

const Added = z.record(z.string(), ParamValue);
const Changed = z.record(z.string(), z.object({ from: ParamValue, to: ParamValue }));
const Counts = z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() });

export const ParamDiffView = z.object({
  added: Added.describe('only in the second set, with its value'),
  removed: Added.describe('only in the first set, with its value'),
  changed: Changed,
  byGroup: z.record(z.string(), z.object({ added: Added, removed: Added, changed: Changed, counts: Counts })),
});

export const LiveDiffView = ParamDiffView.extend({ serial: z.string(), readAt: z.number().int() });

const Build = { model: z.string(), firmware: z.string().nullable() };

export const RestoreCheckView = ParamDiffView.extend({
  backupId: z.number().int(),
  serial: z.string().describe('the box that was read and would be written'),
  readAt: z.number().int(),
  snapshot: z.object({ serial: z.string(), ...Build }).describe('the box the snapshot was taken of, and its build then'),
  box: z.object(Build).describe('the build the box reports now'),
  compatibility: z.object({
    allowed: z.boolean().describe('false: the restore is refused (RESTORE_INCOMPATIBLE) unless forced'),
    reasons: z.array(z.string()).describe('every reason it would be refused, in words'),
    notes: z.array(z.string()).describe('allowed, but worth knowing (another minor firmware version)'),
  }),
  unchanged: z.number().int().describe('snapshot parameters the box already holds with the same value'),
}).describe(
  "from the box now to the snapshot: `changed` is what a restore writes (box value → snapshot value), `added` the snapshot's parameters the box lacks (not sent), `removed` the box's parameters the snapshot lacks (left alone)",
);

export const RestoreReport = z.object({
  verified: z.boolean().describe('every snapshot parameter (less skip) reads back from the box with its value'),
  mismatches: z.record(
    z.string(),
    z.object({ expected: ParamValue, actual: ParamValue.nullable().describe('null: the box has no such parameter'), reason: z.string().optional() }),
  ),
  applied: z.array(z.string()).describe('changed parameters that read back with the snapshot value'),
  refused: z.record(z.string(), z.string()).describe("the box's reason for each parameter it refused"),
  notOnBox: z.array(z.string()).describe('snapshot parameters this box does not have; not sent'),
  skipped: z.array(z.string()),
  backupId: z.number().int(),
  beforeRestoreSnapshotId: z.number().int(),
  compatibility: z.object({ forced: z.array(z.string()).describe('refusal reasons overridden by force'), notes: z.array(z.string()) }),
  write: z
    .object({ status: z.enum(COMMAND_STATUSES), error: CommandError.optional() })
    .nullable()
    .describe('the params.set outcome; null when nothing differed'),
});
