import type { Clock } from '../../kernel/clock.ts';
import type { CommandActor, CommandPort } from '../../edge/commands/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { dueForBackup } from './domain/backup-schedule.ts';
import { diffParams, groupDiff, type GroupDiff, type ParamDiff } from './domain/param-diff.ts';
import { checkRestoreCompatibility } from './domain/restore-plan.ts';
import { previewRestore, type RestorePreview } from './domain/restore-preview.ts';
import { digestParams } from './domain/snapshot-hash.ts';
import type { ParamSnapshot, ParamSnapshotWithParams, SnapshotReason } from './domain/snapshot.ts';
import { restoreSnapshot, type RestoreReport, type RestoreRequest, type RestoreTarget } from './param-restore.ts';
import { readBoxParams } from './read-box-params.ts';
import { backupCandidates, findSnapshot, listSnapshots, storeSnapshot } from './store/snapshot-store.ts';

export type { RestoreReport, RestoreRequest } from './param-restore.ts';

/** A registered box with the model and firmware it last reported (the registry's otherwise). */
export type BoxIdentity = RestoreTarget;

export interface BackupRequest {
  reason: SnapshotReason;
  note?: string | undefined;
  ticketId?: number | undefined;
}

export interface CreatedSnapshot extends ParamSnapshotWithParams {
  /** True when the box's newest snapshot already held these parameters and is answered instead. */
  deduplicated: boolean;
}

export interface DiffView extends ParamDiff {
  byGroup: Record<string, GroupDiff>;
}

export interface LiveDiffView extends DiffView {
  serial: string;
  readAt: number;
}

/** What a restore would do (domain/restore-preview.ts), with the builds it was judged on. */
export interface RestoreCheckView extends DiffView {
  backupId: number;
  serial: string;
  readAt: number;
  snapshot: { serial: string; model: string; firmware: string | null };
  box: { model: string; firmware: string | null };
  compatibility: RestorePreview['compatibility'];
  unchanged: number;
}

export interface ScheduleReport {
  due: number;
  stored: number;
  deduplicated: number;
  failed: Array<{ serial: string; code: string }>;
}

export interface ParamBackupService {
  /** Reads the box's whole parameter set and stores it, unless its newest snapshot already holds it. */
  backup(serial: string, request: BackupRequest, actor: CommandActor): Promise<CreatedSnapshot>;
  /** For the command path: a snapshot a `params.set` can be undone with. Throws BACKUP_BEFORE_CHANGE_FAILED. */
  backupBeforeParamsSet(serial: string, actor: CommandActor): Promise<CreatedSnapshot>;
  /** The box's snapshots, newest first; `beforeId` continues a page. */
  list(serial: string, page?: { limit: number; beforeId?: number }): Promise<ParamSnapshot[]>;
  get(id: number): Promise<ParamSnapshotWithParams>;
  /** From snapshot `a` to snapshot `b`. */
  diff(a: number, b: number): Promise<DiffView>;
  /** From the snapshot to the box now; `serial` null means the box the snapshot was taken of. */
  diffLive(id: number, serial: string | null, actor: CommandActor): Promise<LiveDiffView>;
  /**
   * Reads the box and answers the compatibility verdict and what a restore of the snapshot
   * would write, writing nothing; `serial` null means the box the snapshot was taken of.
   */
  restoreCheck(id: number, serial: string | null, actor: CommandActor): Promise<RestoreCheckView>;
  restore(serial: string, request: RestoreRequest, actor: CommandActor): Promise<RestoreReport>;
  /** Backs up connected boxes not backed up for `maxAgeMs`, oldest first, at most `limit`. */
  scheduleDue(now: number, opts?: { maxAgeMs?: number; limit?: number }): Promise<ScheduleReport>;
}

export const DEFAULT_BACKUP_MAX_AGE_MS = 24 * 3_600_000;
export const DEFAULT_BACKUPS_PER_PASS = 20;
const DEFAULT_LIST_LIMIT = 100;
/** Backups of a scheduled pass in flight at once: each box answers on its own link. */
const SCHEDULE_CONCURRENCY = 4;
/** Who the periodic backups are sent as; a backup only reads. */
export const SCHEDULE_ACTOR: CommandActor = { username: 'backup-schedule', role: 'admin' };

async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface ParamBackupDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  commands: CommandPort;
  device(serial: string): Promise<BoxIdentity | null>;
  /** Boxes connected now; only they are backed up on schedule. */
  onlineIds?: () => ReadonlySet<number>;
}

/** Reads the box's parameters through a command and stores them as a snapshot (deduplicated by digest). */
async function storeBoxSnapshot(
  deps: ParamBackupDeps,
  log: Logger,
  box: BoxIdentity,
  request: BackupRequest,
  actor: CommandActor,
): Promise<CreatedSnapshot> {
  const read = await readBoxParams(deps.commands, box.serial, actor);
  if (!read.ok) {
    log.warn({ serial: box.serial, reason: request.reason, command: read.command, problem: read.problem }, 'parameter backup failed');
    throw new AppError('BACKUP_FAILED', { serial: box.serial, problem: read.problem, command: read.command });
  }
  const digest = digestParams(read.params);
  const createdAt = deps.clock();
  const out = await deps.db.transaction().execute((tx) =>
    storeSnapshot(tx, {
      deviceId: box.id,
      digest,
      count: Object.keys(read.params).length,
      model: box.model,
      firmware: box.firmware,
      reason: request.reason,
      note: request.note ?? null,
      ticketId: request.ticketId ?? null,
      createdBy: actor.username,
      createdAt,
    }),
  );
  log.info(
    { serial: box.serial, id: out.snapshot.id, reason: request.reason, deduplicated: out.deduplicated, size: digest.size },
    'parameters backed up',
  );
  return { ...out.snapshot, deduplicated: out.deduplicated };
}

/** One scheduled pass: backs up each due box, a few at a time, and counts what happened. */
async function backUpEach(
  due: ReadonlyArray<{ serial: string }>,
  backup: (serial: string) => Promise<CreatedSnapshot>,
  log: Logger,
): Promise<ScheduleReport> {
  const report: ScheduleReport = { due: due.length, stored: 0, deduplicated: 0, failed: [] };
  await eachLimit(due, SCHEDULE_CONCURRENCY, async (c) => {
    try {
      const s = await backup(c.serial);
      if (s.deduplicated) report.deduplicated += 1;
      else report.stored += 1;
    } catch (err) {
      // One box's failure must not stop the pass; it stays due and is tried next time.
      report.failed.push({ serial: c.serial, code: err instanceof AppError ? err.code : 'INTERNAL' });
      if (!(err instanceof AppError)) log.error({ err, serial: c.serial }, 'scheduled parameter backup failed');
    }
  });
  return report;
}

export function createParamBackupService(deps: ParamBackupDeps): ParamBackupService {
  const log = deps.logger.child({ component: 'param-backups' });
  // Serials with a restore running: a second one would snapshot a box that is half written.
  const restoring = new Set<string>();

  async function requireBox(serial: string): Promise<BoxIdentity> {
    const box = await deps.device(serial);
    if (!box) throw new AppError('DEVICE_NOT_FOUND', { serial });
    return box;
  }

  async function requireSnapshot(id: number): Promise<ParamSnapshotWithParams> {
    const snapshot = await findSnapshot(deps.db, id);
    if (!snapshot) throw new AppError('BACKUP_NOT_FOUND', { id });
    return snapshot;
  }

  const takeSnapshot = (box: BoxIdentity, request: BackupRequest, actor: CommandActor) => storeBoxSnapshot(deps, log, box, request, actor);

  function withGroups(diff: ParamDiff): DiffView {
    return { ...diff, byGroup: groupDiff(diff) };
  }

  const service: ParamBackupService = {
    async backup(serial, request, actor) {
      return takeSnapshot(await requireBox(serial), request, actor);
    },

    async backupBeforeParamsSet(serial, actor) {
      try {
        return await service.backup(serial, { reason: 'before-params-set' }, actor);
      } catch (err) {
        // The command API's code for it: no backup, no change.
        if (err instanceof AppError && err.code === 'BACKUP_FAILED') throw new AppError('BACKUP_BEFORE_CHANGE_FAILED', err.details);
        throw err;
      }
    },

    async list(serial, page = { limit: DEFAULT_LIST_LIMIT }) {
      const box = await requireBox(serial);
      return listSnapshots(deps.db, box.id, page.limit, page.beforeId);
    },

    get: requireSnapshot,

    async diff(a, b) {
      const [from, to] = [await requireSnapshot(a), await requireSnapshot(b)];
      return withGroups(diffParams(from.params, to.params));
    },

    async diffLive(id, serial, actor) {
      const snapshot = await requireSnapshot(id);
      const box = await requireBox(serial ?? snapshot.serial);
      const read = await readBoxParams(deps.commands, box.serial, actor);
      if (!read.ok) throw new AppError('PARAMS_READ_FAILED', { serial: box.serial, problem: read.problem, command: read.command });
      return { ...withGroups(diffParams(snapshot.params, read.params)), serial: box.serial, readAt: deps.clock() };
    },

    async restoreCheck(id, serial, actor) {
      const snapshot = await requireSnapshot(id);
      const box = await requireBox(serial ?? snapshot.serial);
      const read = await readBoxParams(deps.commands, box.serial, actor);
      if (!read.ok) throw new AppError('PARAMS_READ_FAILED', { serial: box.serial, problem: read.problem, command: read.command });
      const preview = previewRestore(snapshot, box, read.params);
      return {
        ...withGroups(preview.diff),
        backupId: snapshot.id,
        serial: box.serial,
        readAt: deps.clock(),
        snapshot: { serial: snapshot.serial, model: snapshot.model, firmware: snapshot.firmware },
        box: { model: box.model, firmware: box.firmware },
        compatibility: preview.compatibility,
        unchanged: preview.unchanged,
      };
    },

    async restore(serial, request, actor) {
      const box = await requireBox(serial);
      const snapshot = await requireSnapshot(request.backupId);
      const compat = checkRestoreCompatibility(snapshot, box, request.force ?? false);
      if (!compat.ok) {
        throw new AppError('RESTORE_INCOMPATIBLE', {
          reasons: compat.reasons,
          snapshot: { id: snapshot.id, serial: snapshot.serial, model: snapshot.model, firmware: snapshot.firmware },
          box: { serial: box.serial, model: box.model, firmware: box.firmware },
        });
      }
      if (restoring.has(box.serial)) throw new AppError('RESTORE_IN_PROGRESS', { serial: box.serial });
      restoring.add(box.serial);
      try {
        const backupBeforeRestore = (note: string) => takeSnapshot(box, { reason: 'before-restore', note }, actor);
        return await restoreSnapshot(
          { commands: deps.commands, logger: log, backupBeforeRestore },
          box,
          snapshot,
          { forced: compat.forced, notes: compat.notes },
          request.skip ?? [],
          actor,
        );
      } finally {
        restoring.delete(box.serial);
      }
    },

    async scheduleDue(now, opts = {}) {
      const online = deps.onlineIds?.() ?? new Set<number>();
      const candidates = await backupCandidates(deps.db, online);
      const due = dueForBackup(candidates, now, opts.maxAgeMs ?? DEFAULT_BACKUP_MAX_AGE_MS, opts.limit ?? DEFAULT_BACKUPS_PER_PASS);
      return backUpEach(due, (serial) => service.backup(serial, { reason: 'schedule' }, SCHEDULE_ACTOR), log);
    },
  };

  return service;
}
