import { z } from 'zod';
import type { SessionUser } from '../../../platform/accounts/index.ts';
import type { CommandActor } from '../../../edge/commands/index.ts';
import { arrayPage, beforeIdOf, DEFAULT_PAGE, NEXT_CURSOR_HEADER_DOC } from '../../../kernel/page-cursor.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { ParamBackupService } from '../param-backup-service.ts';
import {
  BackupListQuery,
  BackupPairParams,
  BackupParams,
  BackupSerialParams,
  CreatedSnapshot,
  LiveDiffQuery,
  LiveDiffView,
  NewBackupBody,
  ParamDiffView,
  RestoreBody,
  RestoreCheckQuery,
  RestoreCheckView,
  RestoreReport,
  SnapshotDetail,
  SnapshotSummary,
} from './param-schemas.ts';

/** What the parameter backup routes need. */
export interface ParamRouteDeps {
  params: ParamBackupService;
}

const defineRoute = routesFor<ParamRouteDeps>();

const actor = (user: SessionUser): CommandActor => ({ username: user.username, role: user.role });

export const paramRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/devices/:sn/backups',
    costly: true,
    summary: "Backs up the box's parameters now; an unchanged set answers the newest snapshot (deduplicated)",
    tag: 'params',
    access: 'params:write',
    params: BackupSerialParams,
    body: NewBackupBody,
    status: 201,
    response: CreatedSnapshot,
    errors: ['DEVICE_NOT_FOUND', 'BACKUP_FAILED'],
    handler: ({ params, body, user, deps }) =>
      deps.params.backup(params.sn, { reason: body.reason, ...(body.note ? { note: body.note } : {}) }, actor(user)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/backups',
    summary: "The box's parameter snapshots, newest first, without the parameters, a page of `limit` (default 100) at a time",
    tag: 'params',
    access: 'params:read',
    params: BackupSerialParams,
    query: BackupListQuery,
    response: z.array(SnapshotSummary).describe('newest first'),
    responseHeaders: NEXT_CURSOR_HEADER_DOC,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps, res }) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const snapshots = await deps.params.list(params.sn, { ...beforeIdOf(query.cursor), limit: limit + 1 });
      return arrayPage(res, snapshots, limit, (s) => s.id);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/devices/:sn/restore',
    costly: true,
    summary: 'Writes a snapshot back to the box after backing up what it holds now, then reads it back to verify',
    tag: 'params',
    access: 'params:write',
    params: BackupSerialParams,
    body: RestoreBody,
    response: RestoreReport,
    errors: ['DEVICE_NOT_FOUND', 'BACKUP_NOT_FOUND', 'RESTORE_INCOMPATIBLE', 'RESTORE_IN_PROGRESS', 'BACKUP_FAILED', 'PARAMS_READ_FAILED'],
    handler: ({ params, body, user, deps }) => deps.params.restore(params.sn, body, actor(user)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/backups/:id',
    summary: 'One parameter snapshot with its parameters',
    tag: 'params',
    access: 'params:read',
    params: BackupParams,
    response: SnapshotDetail,
    errors: ['BACKUP_NOT_FOUND'],
    handler: ({ params, deps }) => deps.params.get(params.id),
  }),
  // Before /:a/diff/:b, which would otherwise read `live` as a snapshot id.
  defineRoute({
    method: 'get',
    path: '/api/backups/:id/diff/live',
    costly: true,
    summary: 'What differs between a snapshot and the box now (read with params.get)',
    tag: 'params',
    access: 'params:read',
    params: BackupParams,
    query: LiveDiffQuery,
    response: LiveDiffView,
    errors: ['BACKUP_NOT_FOUND', 'DEVICE_NOT_FOUND', 'PARAMS_READ_FAILED'],
    handler: ({ params, query, user, deps }) => deps.params.diffLive(params.id, query.sn ?? null, actor(user)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/backups/:id/restore-check',
    costly: true,
    summary: 'What a restore of the snapshot would do: the compatibility verdict and the changes, read from the box now; writes nothing',
    tag: 'params',
    access: 'params:read',
    params: BackupParams,
    query: RestoreCheckQuery,
    response: RestoreCheckView,
    errors: ['BACKUP_NOT_FOUND', 'DEVICE_NOT_FOUND', 'PARAMS_READ_FAILED'],
    handler: ({ params, query, user, deps }) => deps.params.restoreCheck(params.id, query.sn ?? null, actor(user)),
  }),
  defineRoute({
    method: 'get',
    path: '/api/backups/:a/diff/:b',
    summary: 'What differs from snapshot a to snapshot b, by parameter name and by group',
    tag: 'params',
    access: 'params:read',
    params: BackupPairParams,
    response: ParamDiffView,
    errors: ['BACKUP_NOT_FOUND'],
    handler: ({ params, deps }) => deps.params.diff(params.a, params.b),
  }),
];
