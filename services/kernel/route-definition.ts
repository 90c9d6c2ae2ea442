import type { z } from 'zod';
import type { ErrorCode } from './app-error.ts';
import type { Locale } from './locale.ts';

/*
 * The route-definition framework: how a capability declares an HTTP route, with no HTTP
 * server in sight. A capability's api/ declares what its handlers need (its own deps
 * interface) and exports its routes; the composition root binds each group to its deps and
 * hands them to the HTTP adapter (platform/http), which mounts and documents them.
 *
 * express stays out of the kernel: a handler sees the request and response only through the
 * few members routes use (RouteRequest, RouteResponse), which express's objects satisfy.
 */

/**
 * The signed-in account a non-public route's handler gets. Empty here, since the kernel knows
 * no accounts: the accounts capability fills it by declaration merging (accounts/api/route-user.ts).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the accounts capability's declaration merging
export interface RouteUser {}

/**
 * The actions of the permission table a route may require, filled by the accounts capability
 * the same way, so `access: 'rma:write'` is checked at compile time; the HTTP adapter checks
 * each against the table it is given when it mounts the route.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the accounts capability's declaration merging
export interface RouteActions {}

export type RouteAction = keyof RouteActions & string;

/** `public`: no session; `session`: any signed-in account; an action: the roles the permission table allows. */
export type Access = 'public' | 'session' | RouteAction;

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Request body encodings a route may accept; each has its own size limit (see platform/http/mount-routes.ts). */
export type BodyType = 'json' | 'csv';

/** A non-JSON answer, e.g. the `serial,secret` CSV the device simulator reads. */
export class TextReply {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

/** What handlers read of the request besides its validated parts. */
export interface RouteRequest {
  /** The client's address; with TRUST_PROXY set, the forwarded one. */
  readonly ip?: string | undefined;
  /** HTTPS, directly or behind a trusted TLS-terminating proxy. */
  readonly secure: boolean;
  /** `http` or `https`; with TRUST_PROXY set, the trusted proxy's X-Forwarded-Proto. */
  readonly protocol: string;
  /** The Host header with its port (X-Forwarded-Host behind a trusted proxy); absent from an HTTP/1.0 request without one. */
  readonly host?: string | undefined;
  readonly socket: {
    readonly remoteAddress?: string | undefined;
    readonly localAddress?: string | undefined;
    readonly localPort?: number | undefined;
  };
  /** The request headers handlers read; express's `req.headers` is this and more. */
  readonly headers: {
    /** The raw Accept-Language header, for negotiateLocale (kernel/locale.ts). */
    readonly 'accept-language'?: string | undefined;
  };
  /** Content negotiation: the first of `types` the client accepts, or false. */
  accepts(types: string[]): string | false;
}

export interface CookieSettings {
  httpOnly: boolean;
  sameSite: 'strict';
  path: string;
  secure: boolean;
  maxAge?: number;
}

/** What handlers may do to the response besides returning its body: set or clear a cookie, set a header the route documents. */
export interface RouteResponse {
  cookie(name: string, value: string, options: CookieSettings): unknown;
  clearCookie(name: string, options: CookieSettings): unknown;
  setHeader(name: string, value: string): unknown;
}

/** One complaint of a VALIDATION_FAILED answer: where, which field, what is wrong. */
export interface ValidationIssue {
  in: 'params' | 'query' | 'body';
  path: string;
  message: string;
}

/** The validated request as every handler gets it, without the capability's deps. */
export interface RequestContext<A extends Access, P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: A extends 'public' ? null : RouteUser;
  /**
   * The answer's language: on a `localized` route `?lang=` wins, then Accept-Language, then
   * English (kernel/locale.ts negotiateLocale); on other routes Accept-Language alone.
   */
  locale: Locale;
  req: RouteRequest;
  res: RouteResponse;
}

export interface RouteContext<D, A extends Access, P, Q, B> extends RequestContext<A, P, Q, B> {
  /** What the capability's routes need, handed in by the composition root. */
  deps: D;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
// biome-ignore lint/suspicious/noConfusingVoidType: a route without a response schema returns nothing (204)
type In<S> = S extends z.ZodType ? z.input<S> : void;

/** The description of a route: everything the HTTP adapter mounts and documents, minus the handler. */
export interface RouteShape<
  A extends Access,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
> {
  method: Method;
  /** Express syntax, `/api/devices/:sn`; the OpenAPI writer turns `:sn` into `{sn}`. */
  path: string;
  summary: string;
  tag: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  bodyType?: BodyType;
  /** Success status; 204 sends no body. */
  status?: 200 | 201 | 204;
  response?: R;
  /** Another content type the success answer may take, chosen by the handler (TextReply). */
  alsoProduces?: string;
  /** Headers the success answer may carry (name to meaning), for the docs; the handler sets them. */
  responseHeaders?: Readonly<Record<string, string>>;
  /** Limited per account and address: the call makes the backend or a box work hard. */
  costly?: true;
  /** Error codes this route answers besides the ones every route shares; for the docs. */
  errors?: readonly ErrorCode[];
  /**
   * The answer carries words people read (reasons, names, titles) in the request's language:
   * the route takes `?lang=` besides its own query (the handler's `query` never sees it),
   * answers `Content-Language`, and its OpenAPI operation documents `lang` and Accept-Language.
   */
  localized?: true;
}

/**
 * One route of a capability. The same declaration registers the handler, validates the
 * request, checks the role and writes the OpenAPI operation, so none of these is restated.
 */
export interface RouteSpec<
  D,
  A extends Access,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
> extends RouteShape<A, P, Q, B, R> {
  handler(ctx: RouteContext<D, A, Out<P>, Out<Q>, Out<B>>): Promise<In<R> | TextReply>;
}

// A group holds routes of different shapes; each was type-checked by its definer.
// biome-ignore lint/suspicious/noExplicitAny: any schema in each slot, as said above
export type AnyRoute<D = unknown> = RouteSpec<D, Access, any, any, any, any>;

/** Any route's description, bound or not: what the OpenAPI writer and the tests read. */
// biome-ignore lint/suspicious/noExplicitAny: any schema in each slot, as for AnyRoute
export type AnyRouteShape = RouteShape<Access, any, any, any, any>;

/** A route whose deps are bound: what the HTTP adapter mounts. */
// biome-ignore lint/suspicious/noExplicitAny: any schema in each slot, as for AnyRoute
export interface BoundRoute extends RouteShape<Access, any, any, any, any> {
  // biome-ignore lint/suspicious/noExplicitAny: the slots' types were checked when the route was defined
  handler(ctx: RequestContext<Access, any, any, any>): Promise<unknown>;
}

/**
 * The route definer of a capability whose handlers get `D`:
 *
 *   const route = routesFor<RmaRouteDeps>();
 *   export const rmaRoutes = [route({ method: 'get', …, async handler({ deps }) { … } })];
 */
export function routesFor<D>() {
  return function defineRoute<
    A extends Access,
    P extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    R extends z.ZodType | undefined = undefined,
  >(spec: RouteSpec<D, A, P, Q, B, R>): AnyRoute<D> {
    return spec as unknown as AnyRoute<D>;
  };
}

/** A capability's routes with what they need: what the composition root hands the HTTP adapter. */
export function bindRoutes<D>(routes: readonly AnyRoute<D>[], deps: D): BoundRoute[] {
  return routes.map((route) => ({ ...route, handler: (ctx) => route.handler({ ...ctx, deps }) }));
}
