import { chinaDate } from '../../../kernel/warranty-period.ts';
import { AppError } from '../../../kernel/app-error.ts';
import { pageOf } from '../../../kernel/page-cursor.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import type { RegistryRouteDeps } from './registry-route-deps.ts';
import { NewDevice } from '../domain/device.ts';
import { requireDevice } from './device-lookup.ts';
import {
  CreatedDevice,
  DEFAULT_DEVICE_PAGE,
  DeviceDetail,
  DeviceList,
  DeviceListQuery,
  DevicePatch,
  DeviceSummary,
  SecretView,
  SerialParams,
} from './device-schemas.ts';
import { issueSecret } from './device-secrets.ts';
import { deviceDetail, deviceSummary } from './device-views.ts';

const defineRoute = routesFor<RegistryRouteDeps>();

export const deviceRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/devices',
    summary: 'List registered boxes with warranty and presence, optionally filtered, a page at a time in serial order',
    tag: 'devices',
    access: 'devices:read',
    query: DeviceListQuery,
    localized: true,
    response: DeviceList,
    async handler({ query, deps, locale }) {
      const now = deps.clock();
      const online = deps.shadows.onlineIds();
      const limit = query.limit ?? DEFAULT_DEVICE_PAGE;
      const devices = await deps.registry.list({
        today: chinaDate(now),
        ...(query.model ? { model: query.model } : {}),
        ...(query.customer ? { customer: query.customer } : {}),
        ...(query.q ? { search: query.q } : {}),
        ...(query.warranty ? { warranty: query.warranty } : {}),
        ...(query.organisationId !== undefined ? { organisationId: query.organisationId } : {}),
        ...(query.online !== undefined ? { presence: { onlineIds: [...online], online: query.online } } : {}),
        ...(query.cursor !== undefined ? { afterSerial: query.cursor } : {}),
        limit: limit + 1,
      });
      const { page, nextCursor } = pageOf(devices, limit, (d) => d.serial);
      return { devices: page.map((d) => deviceSummary(d, now, online.has(d.id), deps.shadows.get(d.id), locale)), nextCursor };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/devices',
    summary: 'Register a box; answers its MQTT secret once',
    tag: 'devices',
    access: 'devices:write',
    body: NewDevice,
    status: 201,
    localized: true,
    response: CreatedDevice,
    errors: ['DEVICE_EXISTS', 'ORGANISATION_NOT_FOUND'],
    async handler({ body, deps, user, locale }) {
      const now = deps.clock();
      const { secret, hash } = issueSecret(deps.boxSecrets);
      const result = await deps.registry.create(body, hash, now);
      if (!result.ok) {
        // The code is the organisations capability's, so a wrong id reads the same on every route.
        if (result.error.code === 'ORGANISATION_NOT_FOUND') throw new AppError('ORGANISATION_NOT_FOUND', { id: result.error.organisationId });
        throw new AppError('DEVICE_EXISTS', { serial: result.error.serial });
      }
      deps.logger.info({ serial: body.serial, by: user.username }, 'device registered');
      return { device: deviceSummary(result.device, now, false, null, locale), secret };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn',
    summary: 'One box: registry data, warranty, presence, latest metrics and rejected-message counters',
    tag: 'devices',
    access: 'devices:read',
    params: SerialParams,
    localized: true,
    response: DeviceDetail,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, deps, locale }) {
      const device = await requireDevice(deps.registry, params.sn);
      const online = deps.shadows.onlineIds().has(device.id);
      return deviceDetail(device, deps.clock(), online, deps.shadows.get(device.id), locale);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/devices/:sn',
    summary: 'Enable or disable a box, require a client certificate, or link it to a customer organisation; a disabled box is refused by the broker',
    tag: 'devices',
    access: 'devices:write',
    params: SerialParams,
    body: DevicePatch,
    localized: true,
    response: DeviceSummary,
    errors: ['DEVICE_NOT_FOUND', 'ORGANISATION_NOT_FOUND'],
    async handler({ params, body, deps, user, locale }) {
      await requireDevice(deps.registry, params.sn);
      // Linked first: an unknown organisation refuses the whole change.
      if (body.organisationId !== undefined) {
        const linked = await deps.registry.setOrganisation(params.sn, body.organisationId);
        if (linked === 'ORGANISATION_NOT_FOUND') throw new AppError('ORGANISATION_NOT_FOUND', { id: body.organisationId });
        if (linked === 'DEVICE_NOT_FOUND') throw new AppError('DEVICE_NOT_FOUND', { serial: params.sn });
        deps.logger.info({ serial: params.sn, organisationId: body.organisationId, by: user.username }, 'device organisation changed');
      }
      if (body.enabled !== undefined) {
        await deps.registry.setEnabled(params.sn, body.enabled);
        deps.logger.info({ serial: params.sn, enabled: body.enabled, by: user.username }, 'device enabled changed');
      }
      if (body.requireCertificate !== undefined) {
        await deps.registry.setRequireCertificate(params.sn, body.requireCertificate);
        deps.logger.info(
          { serial: params.sn, requireCertificate: body.requireCertificate, by: user.username },
          'device certificate requirement changed',
        );
      }
      // A box connected with a password must come back with its certificate.
      if (body.enabled === false || body.requireCertificate === true) deps.onDeviceDisabled?.(params.sn);
      const device = await requireDevice(deps.registry, params.sn);
      const now = deps.clock();
      return deviceSummary(device, now, deps.shadows.onlineIds().has(device.id), deps.shadows.get(device.id), locale);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/devices/:sn/secret',
    summary: "Replace a box's MQTT secret; answers the new one once, the old one stops working",
    tag: 'devices',
    access: 'devices:write',
    params: SerialParams,
    response: SecretView,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, deps, user }) {
      const { secret, hash } = issueSecret(deps.boxSecrets);
      if (!(await deps.registry.setSecretHash(params.sn, hash))) {
        throw new AppError('DEVICE_NOT_FOUND', { serial: params.sn });
      }
      deps.logger.info({ serial: params.sn, by: user.username }, 'device secret rotated');
      // A leaked secret is the usual reason to rotate: end the session opened with it.
      deps.onDeviceDisabled?.(params.sn);
      return { serial: params.sn, secret };
    },
  }),
];
