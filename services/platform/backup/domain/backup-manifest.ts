import { z } from 'zod';

/** What `manifest.json` in every backup says about it; written last, so a backup with one is complete. */
export const BackupManifest = z.object({
  format: z.literal(1),
  name: z.string(),
  /** ISO 8601, UTC. */
  takenAt: z.string(),
  trigger: z.enum(['schedule', 'on-demand']),
  appVersion: z.string(),
  database: z.object({
    file: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** The newest migration applied to the copy: a restore into an older version is refused by it. */
    lastMigration: z.string().nullable(),
    /** `PRAGMA integrity_check` on the copy; only `ok` is ever kept. */
    integrity: z.string(),
  }),
  /**
   * `file`: DATA_DIR/box-secret.key was copied (its sha256 below). `configured`: the key came from
   * BOX_SECRET_KEY, which the restored server must be given again. `none`: there was no key.
   */
  boxSecretKey: z.object({ source: z.enum(['file', 'configured', 'none']), sha256: z.string().optional() }),
  /** The holiday years an admin added through the API (calendar.json), null when there were none. */
  calendar: z.object({ sha256: z.string() }).nullable(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
