import type { Request, RequestHandler } from 'express';
import type { Clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { RouteAction, RouteRequest, RouteResponse, RouteUser } from '../../kernel/route-definition.ts';
import type { HttpAppDeps, SessionLookup } from './deps.ts';

export const SESSION_COOKIE = 'mtbox_session';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      user?: RouteUser;
    }
  }
}

/** The shape of the tokens SessionStore.create issues (base64url). */
export const SESSION_TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

/** One cookie's value from a `Cookie` header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * The session token of a request: `Authorization: Bearer` (scripts, the simulator) wins
 * over the cookie (the dashboard). A malformed Authorization header is not silently
 * ignored in favour of a cookie, so a script's mistake shows up as a 401.
 */
export function sessionToken(req: Request): string | null {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const token = /^Bearer (\S+)$/.exec(auth.trim())?.[1];
    return token !== undefined && SESSION_TOKEN.test(token) ? token : null;
  }
  return cookieValue(req.headers.cookie, SESSION_COOKIE);
}

/** Resolves the session into res.locals.user, or answers 401 UNAUTHENTICATED. */
export function authenticate(sessions: SessionLookup, clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const token = sessionToken(req);
    const user = token ? await sessions.lookup(token, clock()) : null;
    if (!user) throw new AppError('UNAUTHENTICATED');
    res.locals.user = user;
    next();
  };
}

/** Answers 403 FORBIDDEN unless the permission table grants the action to the user's role. */
export function requirePermission(action: RouteAction, authorize: HttpAppDeps['authorize']): RequestHandler {
  return (_req, res, next) => {
    const user = res.locals.user;
    if (!user) throw new AppError('UNAUTHENTICATED');
    if (!authorize(user, action)) throw new AppError('FORBIDDEN', { action, role: user.role });
    next();
  };
}

// SameSite=Strict: the dashboard is served from this origin, so the cookie never needs to
// ride along on a cross-site request, which also shuts out CSRF. Secure only over HTTPS,
// since boxes' LANs often reach the backend over plain HTTP; behind a TLS-terminating proxy,
// req.secure is true only when TRUST_PROXY trusts the proxy's X-Forwarded-Proto.
export function setSessionCookie(req: RouteRequest, res: RouteResponse, token: string, ttlMs: number): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: ttlMs, secure: req.secure });
}

export function clearSessionCookie(req: RouteRequest, res: RouteResponse): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
}
