import { z } from 'zod';
import { defineRoute } from './route.ts';

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
    async handler({ services }) {
      return services.openApiDocument;
    },
  }),
];
