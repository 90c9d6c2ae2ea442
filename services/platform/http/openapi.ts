import { z } from 'zod';
import type { ErrorCode } from '../../kernel/app-error.ts';
import { LangParam, LOCALES } from '../../kernel/locale.ts';
import type { AnyRouteShape } from '../../kernel/route-definition.ts';
import { SESSION_COOKIE } from './auth.ts';
import { ERROR_STATUS } from './error-handler.ts';
import { MEDIA_TYPES } from './mount-routes.ts';

type Json = Record<string, unknown>;

/** The permission table: each action and the roles allowed it (x-permission, x-roles). */
export type PermissionTable = Readonly<Record<string, readonly string[]>>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  // Query and path parameters arrive as strings and are transformed after validation, so
  // requests are documented as their input type and answers as their output type.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as { properties?: Json; required?: string[] };
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s as Json;
    return {
      name,
      in: where,
      required: where === 'path' || required.includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** A `localized` route's language parameters: `?lang=` and the Accept-Language header it falls back to. */
function languageParameters(route: AnyRouteShape): Json[] {
  if (!route.localized) return [];
  const { description, ...schema } = jsonSchema(LangParam, 'input');
  return [
    { name: 'lang', in: 'query', required: false, description, schema },
    {
      name: 'Accept-Language',
      in: 'header',
      required: false,
      description: `the languages the client reads, best first; the best one offered (${LOCALES.join(', ')}) is used when \`lang\` is absent, else English. The answer's Content-Language says which was used`,
      schema: { type: 'string' },
    },
  ];
}

/** The error codes a route can answer with: those implied by its shape plus its own. */
export function errorCodesOf(route: AnyRouteShape): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  if (route.access !== 'public') codes.add('UNAUTHENTICATED');
  if (route.access !== 'public' && route.access !== 'session') codes.add('FORBIDDEN');
  // Every route refuses query parameters it does not name (mount-routes.ts strictQuery).
  codes.add('VALIDATION_FAILED');
  if (route.body) {
    if ((route.bodyType ?? 'json') === 'json') codes.add('INVALID_JSON');
    codes.add('PAYLOAD_TOO_LARGE');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  // Browsers' state changes must come from the backend's own origin (cross-site.ts).
  if (route.method !== 'get') codes.add('CROSS_SITE_REQUEST');
  if (route.costly) codes.add('RATE_LIMITED');
  for (const c of route.errors ?? []) codes.add(c);
  return [...codes];
}

function errorResponses(route: AnyRouteShape): Json {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Json = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const body = z.object({
      error: z.enum(codes as [ErrorCode, ...ErrorCode[]]).describe('stable: program against this'),
      message: z
        .string()
        .describe(
          "the code's meaning in words, in the request's language: `?lang=` where the route takes it, else Accept-Language (en or zh-CN), else English",
        ),
      details: z.unknown(),
    });
    out[String(status)] = {
      description: codes.join(', '),
      content: { 'application/json': { schema: jsonSchema(body, 'output') } },
    };
  }
  return out;
}

function successResponse(route: AnyRouteShape): Json {
  const status = route.status ?? 200;
  if (status === 204) return { '204': { description: 'No content' } };
  const content: Json = {};
  if (route.response) content['application/json'] = { schema: jsonSchema(route.response, 'output') };
  if (route.alsoProduces) content[route.alsoProduces] = { schema: { type: 'string' } };
  const headers: Json = {};
  for (const [name, description] of Object.entries(route.responseHeaders ?? {})) headers[name] = { description, schema: { type: 'string' } };
  return { [String(status)]: { description: route.summary, ...(route.responseHeaders ? { headers } : {}), content } };
}

function operationId(route: AnyRouteShape): string {
  const words = route.path
    .replace(/^\/api\//, '')
    .split(/[/.:-]+/)
    .filter(Boolean);
  return route.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function operation(route: AnyRouteShape, permissions: PermissionTable): Json {
  const isPublic = route.access === 'public';
  const permission = route.access === 'public' || route.access === 'session' ? null : route.access;
  const bodyType = route.bodyType ?? 'json';
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [route.tag],
    security: isPublic ? [] : [{ bearer: [] }, { sessionCookie: [] }],
    ...(permission ? { 'x-permission': permission, 'x-roles': permissions[permission] } : {}),
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...languageParameters(route)],
    ...(route.body ? { requestBody: { required: true, content: { [MEDIA_TYPES[bodyType]]: { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses: { ...successResponse(route), ...errorResponses(route) },
  };
}

/** Builds the OpenAPI 3.1 document from the route table and its zod schemas. */
export function buildOpenApiDocument(routes: readonly AnyRouteShape[], permissions: PermissionTable): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route, permissions) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MT-BOX Care API',
      version: '0.1.0',
      description:
        'Device management for MT-BOX gateways. Generated from the route table in services/compose-routes.ts; ' +
        'errors are `{ error: CODE, details }`.',
    },
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
    },
  };
}
