import { z } from 'zod';
import { AppError } from '../../kernel/app-error.ts';
import { routesFor } from '../../kernel/route-definition.ts';

/** What the adapter's own routes answer with. */
export interface SystemRouteDeps {
  /** Merged into GET /api/health, e.g. broker connections and queue depths. */
  health(): Record<string, unknown>;
  /** Whether this node should get traffic: each check named, ok or why not. */
  ready(): Promise<{ ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> }>;
  /** The document served at GET /api/openapi.json, built from the same route table. */
  openApiDocument: Record<string, unknown>;
}

const defineRoute = routesFor<SystemRouteDeps>();

export const HealthResponse = z.looseObject({ status: z.literal('ok') });

const ReadinessCheck = z.object({ ok: z.boolean(), detail: z.string().optional() });
export const ReadyResponse = z.object({ ready: z.literal(true), checks: z.record(z.string(), ReadinessCheck) });

export const systemRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/health',
    summary: 'Liveness and a few counters; no session needed, for load balancers',
    tag: 'system',
    access: 'public',
    response: HealthResponse,
    async handler({ deps }) {
      return { ...deps.health(), status: 'ok' as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/ready',
    summary:
      'Readiness: 200 when started, not stopping, and the database, MQTT listener and telemetry forwarder are usable; else 503 NOT_READY with the checks',
    tag: 'system',
    access: 'public',
    response: ReadyResponse,
    async handler({ deps }) {
      const r = await deps.ready();
      if (!r.ready) throw new AppError('NOT_READY', r);
      return { ready: true as const, checks: r.checks };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This API described as OpenAPI 3.1',
    tag: 'system',
    access: 'public',
    response: z.record(z.string(), z.unknown()),
    async handler({ deps }) {
      return deps.openApiDocument;
    },
  }),
];
