import { z } from 'zod';
import { routesFor } from '../../kernel/route-definition.ts';

/** What the adapter's own routes answer with. */
export interface SystemRouteDeps {
  /** Merged into GET /api/health, e.g. broker connections and queue depths. */
  health(): Record<string, unknown>;
  /** The document served at GET /api/openapi.json, built from the same route table. */
  openApiDocument: Record<string, unknown>;
}

const defineRoute = routesFor<SystemRouteDeps>();

export const HealthResponse = z.looseObject({ status: z.literal('ok') });

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
