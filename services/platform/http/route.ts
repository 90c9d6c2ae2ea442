import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { SessionUser } from '../accounts/index.ts';
import type { Action } from '../accounts/index.ts';
import type { ErrorCode } from '../../kernel/app-error.ts';
import type { HttpDeps, HttpServices } from './deps.ts';

/** `public`: no session; `session`: any signed-in account; an action: the roles the permission table allows. */
export type Access = 'public' | 'session' | Action;

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Request body encodings a route may accept; each has its own size limit (see mount-routes.ts). */
export type BodyType = 'json' | 'csv';

/** A non-JSON answer, e.g. the `serial,secret` CSV the device simulator reads. */
export class TextReply {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

export interface RouteContext<A extends Access, P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: A extends 'public' ? null : SessionUser;
  deps: HttpDeps;
  services: HttpServices;
  req: Request;
  res: Response;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
// biome-ignore lint/suspicious/noConfusingVoidType: a route without a response schema returns nothing (204)
type In<S> = S extends z.ZodType ? z.input<S> : void;

/**
 * One row of the route table. The same row registers the express handler, validates the
 * request, checks the role and writes the OpenAPI operation, so none of these is restated.
 */
export interface RouteSpec<
  A extends Access,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
> {
  method: Method;
  /** Express syntax, `/api/devices/:sn`; openapi.ts turns `:sn` into `{sn}`. */
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
  /** Limited per account and address (costly-limits.ts): the call makes the backend or a box work hard. */
  costly?: true;
  /** Error codes this route answers besides the ones every route shares; for the docs. */
  errors?: readonly ErrorCode[];
  handler(ctx: RouteContext<A, Out<P>, Out<Q>, Out<B>>): Promise<In<R> | TextReply>;
}

// The table holds routes of different shapes; each was type-checked by defineRoute.
// biome-ignore lint/suspicious/noExplicitAny: any schema in each slot, as said above
export type AnyRoute = RouteSpec<Access, any, any, any, any>;

export function defineRoute<
  A extends Access,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}
