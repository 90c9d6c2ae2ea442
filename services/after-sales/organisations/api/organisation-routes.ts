import { AppError } from '../../../kernel/app-error.ts';
import type { Clock } from '../../../kernel/clock.ts';
import { pageOf } from '../../../kernel/page-cursor.ts';
import { requestOrigin } from '../../../kernel/request-origin.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { InvitationStore, UserStore } from '../../../platform/accounts/index.ts';
import type { Logger } from '../../../platform/logger.ts';
import { OrganisationInput, OrganisationPatch } from '../domain/organisation.ts';
import type { OrganisationStore, OrganisationWrite } from '../domain/organisation-ports.ts';
import {
  DEFAULT_ORGANISATION_PAGE,
  DeviceAssignment,
  DeviceAssignmentResult,
  InvitationCreated,
  InvitationRequest,
  OrganisationDetail,
  OrganisationDeviceParams,
  OrganisationIdParams,
  OrganisationList,
  OrganisationListQuery,
  OrganisationView,
} from './organisation-schemas.ts';

/** What the organisation routes need. */
export interface OrganisationRouteDeps {
  clock: Clock;
  logger: Logger;
  organisations: OrganisationStore;
  invitations: InvitationStore;
  users: Pick<UserStore, 'findByUsername'>;
}

const defineRoute = routesFor<OrganisationRouteDeps>();

/** The dashboard route where an invited customer sets their password (dashboard/app.js). */
export const INVITATION_PAGE = '/#/invite/';

function written(result: OrganisationWrite, id?: number) {
  if (result.ok) return result.organisation;
  throw new AppError(result.error, result.error === 'ORGANISATION_NOT_FOUND' ? { id } : {});
}

async function requireOrganisation(deps: OrganisationRouteDeps, id: number) {
  const organisation = await deps.organisations.get(id);
  if (!organisation) throw new AppError('ORGANISATION_NOT_FOUND', { id });
  return organisation;
}

export const organisationRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/organisations',
    summary: 'Customer organisations by name, a page at a time',
    tag: 'organisations',
    access: 'organisations:read',
    query: OrganisationListQuery,
    response: OrganisationList,
    async handler({ query, deps }) {
      const limit = query.limit ?? DEFAULT_ORGANISATION_PAGE;
      const after = query.cursor ? { name: query.cursor[0], id: query.cursor[1] } : undefined;
      const rows = await deps.organisations.list({ q: query.q, limit, after });
      const { page, nextCursor } = pageOf(rows, limit, (o) => [o.name, o.id]);
      return { organisations: page, nextCursor };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/organisations',
    summary: 'Record a customer organisation: name, business line, contacts',
    tag: 'organisations',
    access: 'organisations:write',
    body: OrganisationInput,
    status: 201,
    response: OrganisationView,
    errors: ['ORGANISATION_EXISTS'],
    async handler({ body, deps, user }) {
      const organisation = written(await deps.organisations.create(body, deps.clock()));
      deps.logger.info({ organisationId: organisation.id, by: user.username }, 'organisation created');
      return organisation;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/organisations/:id',
    summary: 'One organisation with its customer accounts and open invitations',
    tag: 'organisations',
    access: 'organisations:read',
    params: OrganisationIdParams,
    response: OrganisationDetail,
    errors: ['ORGANISATION_NOT_FOUND'],
    async handler({ params, deps }) {
      const organisation = await requireOrganisation(deps, params.id);
      const [users, invitations] = await Promise.all([deps.organisations.users(params.id), deps.invitations.pending(params.id, deps.clock())]);
      return {
        ...organisation,
        users,
        invitations: invitations.map(({ username, createdBy, createdAt, expiresAt }) => ({ username, createdBy, createdAt, expiresAt })),
      };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/organisations/:id',
    summary: "Change an organisation's name, business line or contacts",
    tag: 'organisations',
    access: 'organisations:write',
    params: OrganisationIdParams,
    body: OrganisationPatch,
    response: OrganisationView,
    errors: ['ORGANISATION_NOT_FOUND', 'ORGANISATION_EXISTS'],
    async handler({ params, body, deps }) {
      return written(await deps.organisations.update(params.id, body, deps.clock()), params.id);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/organisations/:id/devices',
    summary: 'Link boxes to the organisation (a box of another organisation moves); unknown serials are listed, not refused',
    tag: 'organisations',
    access: 'organisations:write',
    params: OrganisationIdParams,
    body: DeviceAssignment,
    response: DeviceAssignmentResult,
    errors: ['ORGANISATION_NOT_FOUND'],
    async handler({ params, body, deps, user }) {
      await requireOrganisation(deps, params.id);
      const result = await deps.organisations.assignDevices(params.id, body.serials);
      deps.logger.info({ organisationId: params.id, assigned: result.assigned, by: user.username }, 'boxes linked to organisation');
      return result;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/organisations/:id/devices/:sn',
    summary: 'Unlink a box from the organisation: its people no longer see it',
    tag: 'organisations',
    access: 'organisations:write',
    params: OrganisationDeviceParams,
    status: 204,
    errors: ['ORGANISATION_NOT_FOUND', 'DEVICE_NOT_FOUND'],
    async handler({ params, deps }) {
      await requireOrganisation(deps, params.id);
      if (!(await deps.organisations.releaseDevice(params.id, params.sn))) {
        throw new AppError('DEVICE_NOT_FOUND', { serial: params.sn, organisationId: params.id });
      }
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/organisations/:id/invitations',
    summary: "Invite one of the customer's people: answers a one-time URL (valid 7 days) where they choose their password",
    tag: 'organisations',
    access: 'organisations:write',
    params: OrganisationIdParams,
    body: InvitationRequest,
    status: 201,
    response: InvitationCreated,
    errors: ['ORGANISATION_NOT_FOUND', 'USER_EXISTS'],
    async handler({ params, body, deps, user, req }) {
      await requireOrganisation(deps, params.id);
      if (await deps.users.findByUsername(body.username)) throw new AppError('USER_EXISTS', { username: body.username });
      const now = deps.clock();
      const { token, expiresAt } = await deps.invitations.create(
        { organisationId: params.id, username: body.username, createdBy: user.username },
        now,
      );
      deps.logger.info({ organisationId: params.id, username: body.username, by: user.username }, 'customer invited');
      return { username: body.username, url: `${requestOrigin(req)}${INVITATION_PAGE}${token}`, expiresAt };
    },
  }),
];
