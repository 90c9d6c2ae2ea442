import type { z } from 'zod';
import type { ListRange } from '../../intake/index.ts';
import type { TelemetrySample } from '../../telemetry/index.ts';
import { DEFAULT_PAGE, pageOf } from '../../../kernel/page-cursor.ts';
import { AppError } from '../../../kernel/app-error.ts';
import { routesFor, type ValidationIssue } from '../../../kernel/route-definition.ts';
import type { RegistryRouteDeps } from './registry-route-deps.ts';
import { requireDevice } from './device-lookup.ts';
import { EventList, FaultList, HistoryParams, MAX_TELEMETRY_POINTS, SerialParams, TelemetryParams, TelemetrySeries } from './device-schemas.ts';

const defineRoute = routesFor<RegistryRouteDeps>();

const HOUR_MS = 3_600_000;

/** The store's range for a history page: one row more than `limit`, to tell whether more follow. */
function historyRange(query: z.output<typeof HistoryParams>, limit: number): ListRange {
  return {
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    ...(query.cursor !== undefined ? { before: query.cursor } : {}),
    limit: limit + 1,
  };
}

/** Checks that need the defaults filled in, so they cannot live in the query schema. */
function checkRange(from: number, to: number, stepMs: number | undefined): void {
  const issues: ValidationIssue[] = [];
  // Both bounds are inclusive, so from = to asks for one instant (where a page may continue).
  if (from > to) issues.push({ in: 'query', path: 'from', message: 'from must not be after to' });
  if (stepMs !== undefined && Math.ceil((to - from) / stepMs) > MAX_TELEMETRY_POINTS) {
    const minStep = Math.ceil((to - from) / MAX_TELEMETRY_POINTS);
    issues.push({ in: 'query', path: 'step', message: `at most ${MAX_TELEMETRY_POINTS} buckets: use a step of at least ${minStep} ms` });
  }
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', issues);
}

interface TelemetryPage {
  points: TelemetrySample[];
  truncated: boolean;
  next: number | null;
}

/**
 * Cuts an answer fetched with one sample more than `limit`: when that extra sample came, the
 * range holds more, and `next` is the instant to ask from. Samples sharing that instant move to
 * the next page too, so asking again `from=next` neither repeats nor skips one. Only when more
 * than `limit` raw points share one instant does the page end there and continue a millisecond
 * later, leaving the excess out.
 */
export function pageOfSamples(samples: TelemetrySample[], limit: number): TelemetryPage {
  if (samples.length <= limit) return { points: samples, truncated: false, next: null };
  const next = samples[limit]!.ts;
  let end = limit;
  while (end > 0 && samples[end - 1]!.ts === next) end--;
  if (end === 0) return { points: samples.slice(0, limit), truncated: true, next: next + 1 };
  return { points: samples.slice(0, end), truncated: true, next };
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
    errors: ['DEVICE_NOT_FOUND', 'TELEMETRY_STORE_UNAVAILABLE'],
    async handler({ params, query, deps }) {
      const to = query.to ?? deps.clock();
      const from = query.from ?? to - HOUR_MS;
      checkRange(from, to, query.step);
      const device = await requireDevice(deps.registry, params.sn);
      const limit = query.limit ?? MAX_TELEMETRY_POINTS;
      const samples = await deps.telemetry.query({
        deviceId: device.id,
        serial: device.serial,
        metric: query.metric,
        from,
        to,
        ...(query.step ? { stepMs: query.step } : {}),
        limit: limit + 1,
      });
      return { serial: device.serial, metric: query.metric, from, to, stepMs: query.step ?? null, ...pageOfSamples(samples, limit) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/faults',
    summary: 'Faults the box reported, newest first, within an optional time range, a page of `limit` (default 100) at a time',
    tag: 'devices',
    access: 'devices:read',
    params: SerialParams,
    query: HistoryParams,
    response: FaultList,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps }) {
      const device = await requireDevice(deps.registry, params.sn);
      const limit = query.limit ?? DEFAULT_PAGE;
      const rows = await deps.intake.listFaults(device.id, historyRange(query, limit));
      const { page, nextCursor } = pageOf(rows, limit, (r) => [r.ts, r.rowId]);
      return { serial: device.serial, faults: page, nextCursor };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/events',
    summary: 'Evidence events the box recorded (tamper, surge, overtemp…), newest first, within an optional time range, a page at a time',
    tag: 'devices',
    access: 'devices:read',
    params: SerialParams,
    query: HistoryParams,
    response: EventList,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps }) {
      const device = await requireDevice(deps.registry, params.sn);
      const limit = query.limit ?? DEFAULT_PAGE;
      const rows = await deps.intake.listEvents(device.id, historyRange(query, limit));
      const { page, nextCursor } = pageOf(rows, limit, (r) => [r.ts, r.rowId]);
      return { serial: device.serial, events: page, nextCursor };
    },
  }),
];
