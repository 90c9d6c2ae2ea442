import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { findUnsafeText } from '../../contract/unsafe-text.ts';
import { AppError } from '../../kernel/app-error.ts';
import { LangParam, type Locale, negotiateLocale } from '../../kernel/locale.ts';
import { authenticate, requirePermission } from './auth.ts';
import { type CostlyLimiter, limitCostly } from './costly-limits.ts';
import { TextReply, type AnyRouteShape, type BodyType, type BoundRoute, type ValidationIssue } from '../../kernel/route-definition.ts';
import type { HttpAppDeps } from './deps.ts';

export const MEDIA_TYPES: Record<BodyType, string> = { json: 'application/json', csv: 'text/csv' };

// A device record is well under 1 KB; a 10 MB CSV holds the largest import (10,000 rows).
export const BODY_LIMITS: Record<BodyType, string> = { json: '1mb', csv: '10mb' };

/**
 * body-parser decodes invalid UTF-8 into U+FFFD without a word, so a body that is not what
 * its sender meant would be stored as something else. Checked on the raw bytes instead.
 * Other declared charsets are decoded as declared; their text still meets the rule in
 * contract/unsafe-text.ts.
 */
function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string | null): void {
  const utf8 = encoding === null || encoding.toLowerCase().replace('-', '') === 'utf8';
  if (utf8 && !isUtf8(body)) {
    throw new AppError('VALIDATION_FAILED', [{ in: 'body', path: '', message: 'the body is not valid UTF-8' }]);
  }
}

const PARSERS: Record<BodyType, RequestHandler> = {
  json: express.json({ limit: BODY_LIMITS.json, type: MEDIA_TYPES.json, verify: refuseInvalidUtf8 }),
  csv: express.text({ limit: BODY_LIMITS.csv, type: MEDIA_TYPES.csv, verify: refuseInvalidUtf8 }),
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

const NO_QUERY = z.strictObject({});

/**
 * The query schema a route is checked with: its own, made strict, so a misspelt filter
 * (`?serail=X`) is a 400 naming it instead of an answer that silently ignores it; a route
 * without one refuses any query parameter. openapi.ts documents the route's own schema.
 */
export function strictQuery(route: AnyRouteShape): z.ZodType {
  const own = route.query ?? NO_QUERY;
  if (!(own instanceof z.ZodObject)) throw new Error(`${route.method.toUpperCase()} ${route.path}: the query schema must be a z.object`);
  if (!route.localized) return own.strict();
  if ('lang' in own.shape)
    throw new Error(`${route.method.toUpperCase()} ${route.path}: a localized route takes ?lang= itself; drop it from the query schema`);
  return own.extend({ lang: LangParam.optional() }).strict();
}

/** The request's language (see RequestContext.locale), and the query the handler sees, without `lang`. */
function localeOf(route: BoundRoute, req: Request, checked: unknown): { locale: Locale; query: unknown } {
  const acceptLanguage = req.headers['accept-language'];
  if (!route.localized) return { locale: negotiateLocale({ acceptLanguage }), query: route.query ? checked : undefined };
  const { lang, ...rest } = (checked ?? {}) as { lang?: Locale };
  return { locale: negotiateLocale({ query: lang, acceptLanguage }), query: route.query ? rest : undefined };
}

/**
 * Percent-escapes in the raw query that decode to invalid UTF-8: the query parser would
 * turn them into U+FFFD. Each run of escapes is checked whole, since a multi-byte character
 * is one run and an ASCII character in between ends any valid sequence.
 */
function invalidUtf8InQuery(originalUrl: string): ValidationIssue[] {
  const q = originalUrl.indexOf('?');
  if (q < 0) return [];
  const issues: ValidationIssue[] = [];
  for (const pair of originalUrl.slice(q + 1).split('&')) {
    const runs = pair.match(/(?:%[0-9A-Fa-f]{2})+/g) ?? [];
    if (runs.some((run) => !isUtf8(Buffer.from(run.replaceAll('%', ''), 'hex')))) {
      issues.push({ in: 'query', path: pair.split('=')[0]!, message: 'not valid UTF-8 once percent-decoded' });
    }
  }
  return issues;
}

/** The text rule (contract/unsafe-text.ts) over one part of the request; true when it holds. */
function checkText(value: unknown, where: ValidationIssue['in'], issues: ValidationIssue[]): boolean {
  const found = findUnsafeText(value);
  for (const f of found) issues.push({ in: where, path: f.path.join('.'), message: f.message });
  return found.length === 0;
}

function runner(route: BoundRoute): RequestHandler {
  const querySchema = strictQuery(route);
  // A CSV body's text is checked cell by cell by its parser, which names row and column.
  const jsonRoute = (route.bodyType ?? 'json') === 'json';
  return async (req, res) => {
    const issues: ValidationIssue[] = invalidUtf8InQuery(req.originalUrl);
    const queryText = issues.length === 0 && checkText(req.query, 'query', issues);
    const paramsText = checkText(req.params, 'params', issues);
    const bodyText = !jsonRoute || checkText(req.body, 'body', issues);
    // Text that breaks the rule is reported alone: the schema's complaint about it would only repeat it.
    const params = paramsText ? check(route.params, req.params, 'params', issues) : undefined;
    const checkedQuery = queryText ? check(querySchema, req.query, 'query', issues) : undefined;
    // A JSON POST without a body reads as `{}`, so actions whose fields are all optional need
    // no `-d '{}'`; a route that needs fields still names each missing one.
    const body = bodyText ? check(route.body, !hasBody(req) && jsonRoute ? {} : req.body, 'body', issues) : undefined;
    if (issues.length > 0) throw new AppError('VALIDATION_FAILED', issues);

    const user = res.locals.user ?? null;
    const { locale, query } = localeOf(route, req, checkedQuery);
    if (route.localized) {
      // Caches must keep one answer per language.
      res.setHeader('Content-Language', locale);
      res.vary('Accept-Language');
    }
    const result = await route.handler({ params, query, body, user, locale, req, res });
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
export function mountRoutes(router: Router, deps: HttpAppDeps, costly: CostlyLimiter): void {
  for (const route of deps.routes) {
    const chain: RequestHandler[] = [];
    if (route.access !== 'public') chain.push(authenticate(deps.sessions, deps.clock));
    if (route.access !== 'public' && route.access !== 'session') {
      // The type names the table's actions; this holds it to the table the adapter was given.
      if (!deps.actions.includes(route.access)) throw new Error(`${route.method.toUpperCase()} ${route.path}: unknown action ${route.access}`);
      chain.push(requirePermission(route.access, deps.authorize));
    }
    if (route.costly) chain.push(limitCostly(costly, deps.clock));
    if (route.body) {
      const bodyType = route.bodyType ?? 'json';
      chain.push(requireMediaType(bodyType), PARSERS[bodyType]);
    }
    chain.push(runner(route));
    router[route.method](route.path, ...chain);
  }
}
