import { AppError } from '../../../kernel/app-error.ts';
import { routesFor, type ValidationIssue } from '../../../kernel/route-definition.ts';
import type { RegistryRouteDeps } from './registry-route-deps.ts';
import { requireDevice } from './device-lookup.ts';
import { EventList, FaultList, HistoryParams, MAX_TELEMETRY_POINTS, SerialParams, TelemetryParams, TelemetrySeries } from './device-schemas.ts';

const defineRoute = routesFor<RegistryRouteDeps>();

const HOUR_MS = 3_600_000;
const DEFAULT_HISTORY_ITEMS = 100;

/** Checks that need the defaults filled in, so they cannot live in the query schema. */
function checkRange(from: number, to: number, stepMs: number | undefined): void {
  const issues: ValidationIssue[] = [];
  if (from >= to) issues.push({ in: 'query', path: 'from', message: 'from must be before to' });
  if (stepMs !== undefined && Math.ceil((to - from) / stepMs) > MAX_TELEMETRY_POINTS) {
    const minStep = Math.ceil((to - from) / MAX_TELEMETRY_POINTS);
    issues.push({ in: 'query', path: 'step', message: `at most ${MAX_TELEMETRY_POINTS} buckets: use a step of at least ${minStep} ms` });
  }
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', issues);
}

export const deviceHistoryRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/telemetry',
    summary: 'One metric over time: raw points, or buckets of `step` with average, min and max (default: the last hour)',
    tag: 'devices',
    access: 'devices:read',
    params: SerialParams,
    query: TelemetryParams,
    response: TelemetrySeries,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps }) {
      const to = query.to ?? deps.clock();
      const from = query.from ?? to - HOUR_MS;
      checkRange(from, to, query.step);
      const device = await requireDevice(deps.registry, params.sn);
      const points = await deps.telemetry.query({
        deviceId: device.id,
        metric: query.metric,
        from,
        to,
        ...(query.step ? { stepMs: query.step } : {}),
        limit: query.limit ?? MAX_TELEMETRY_POINTS,
      });
      return { serial: device.serial, metric: query.metric, from, to, stepMs: query.step ?? null, points };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/faults',
    summary: 'Faults the box reported, within an optional time range',
    tag: 'devices',
    access: 'devices:read',
    params: SerialParams,
    query: HistoryParams,
    response: FaultList,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps }) {
      const device = await requireDevice(deps.registry, params.sn);
      const faults = await deps.intake.listFaults(device.id, { ...query, limit: query.limit ?? DEFAULT_HISTORY_ITEMS });
      return { serial: device.serial, faults };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/events',
    summary: 'Evidence events the box recorded (tamper, surge, overtemp…)',
    tag: 'devices',
    access: 'devices:read',
    params: SerialParams,
    query: HistoryParams,
    response: EventList,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps }) {
      const device = await requireDevice(deps.registry, params.sn);
      const events = await deps.intake.listEvents(device.id, { ...query, limit: query.limit ?? DEFAULT_HISTORY_ITEMS });
      return { serial: device.serial, events };
    },
  }),
];
