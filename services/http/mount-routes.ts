import express, { type Request, type RequestHandler, type Router } from 'express';
import type { z } from 'zod';
import { AppError } from './app-error.ts';
import { authenticate, requirePermission } from './auth.ts';
import { limitCostly } from './costly-limits.ts';
import type { HttpDeps, HttpServices } from './deps.ts';
import { TextReply, type AnyRoute, type BodyType } from './route.ts';

export const MEDIA_TYPES: Record<BodyType, string> = { json: 'application/json', csv: 'text/csv' };

// A device record is well under 1 KB; a 10 MB CSV holds the largest import (10,000 rows).
export const BODY_LIMITS: Record<BodyType, string> = { json: '1mb', csv: '10mb' };

const PARSERS: Record<BodyType, RequestHandler> = {
  json: express.json({ limit: BODY_LIMITS.json, type: MEDIA_TYPES.json }),
  csv: express.text({ limit: BODY_LIMITS.csv, type: MEDIA_TYPES.csv }),
};

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function requireMediaType(bodyType: BodyType): RequestHandler {
  return (req, _res, next) => {
    if (hasBody(req) && !req.is(MEDIA_TYPES[bodyType])) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { expected: MEDIA_TYPES[bodyType], received: req.headers['content-type'] ?? null });
    }
    next();
  };
}

export interface ValidationIssue {
  in: 'params' | 'query' | 'body';
  path: string;
  message: string;
}

function check(schema: z.ZodType | undefined, value: unknown, where: ValidationIssue['in'], issues: ValidationIssue[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    // zod reports all unknown keys in one issue at the object's path; name each key instead.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...path, k]) : [path];
    for (const p of paths) issues.push({ in: where, path: p.join('.'), message: issue.message });
  }
  return undefined;
}

function runner(route: AnyRoute, deps: HttpDeps, services: HttpServices): RequestHandler {
  return async (req, res) => {
    const issues: ValidationIssue[] = [];
    const params = check(route.params, req.params, 'params', issues);
    const query = check(route.query, req.query, 'query', issues);
    // A JSON POST without a body reads as `{}`, so actions whose fields are all optional need
    // no `-d '{}'`; a route that needs fields still names each missing one.
    const jsonRoute = (route.bodyType ?? 'json') === 'json';
    const body = check(route.body, !hasBody(req) && jsonRoute ? {} : req.body, 'body', issues);
    if (issues.length > 0) throw new AppError('VALIDATION_FAILED', issues);

    const user = res.locals.user ?? null;
    const result = await route.handler({ params, query, body, user, deps, services, req, res });
    const status = route.status ?? 200;
    if (result instanceof TextReply) {
      res.status(status).type(result.contentType).send(result.text);
    } else if (status === 204) {
      res.status(204).end();
    } else {
      // Parsing the answer strips any field the schema does not list (a secret hash can
      // never leak by a careless spread) and keeps openapi.json true to what is sent.
      res.status(status).json(route.response ? route.response.parse(result) : result);
    }
  };
}

/**
 * Registers each route as: authenticate → permission → cost limit → media type → body parser →
 * validation → handler. Authentication comes first, so nobody unauthenticated makes the
 * server read a 10 MB body.
 */
export function mountRoutes(router: Router, routes: readonly AnyRoute[], deps: HttpDeps, services: HttpServices): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    if (route.access !== 'public') chain.push(authenticate(services.sessions, deps.clock));
    if (route.access !== 'public' && route.access !== 'session') chain.push(requirePermission(route.access));
    if (route.costly) chain.push(limitCostly(services.costly, deps.clock));
    if (route.body) {
      const bodyType = route.bodyType ?? 'json';
      chain.push(requireMediaType(bodyType), PARSERS[bodyType]);
    }
    chain.push(runner(route, deps, services));
    router[route.method](route.path, ...chain);
  }
}
