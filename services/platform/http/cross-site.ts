import type { RequestHandler } from 'express';
import { isOwnOrigin } from '../security/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import { SESSION_COOKIE, cookieValue } from './auth.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses cross-site state changes. SameSite=Strict is not enough: a page on another port of
 * the same host, or on a sibling subdomain, is "same-site" and its fetch() carries the cookie.
 * Browsers send `Origin` on every unsafe request, so a browser's request is admitted only from
 * this backend's own origin or ALLOWED_ORIGINS. Bearer-token clients (scripts, the simulator)
 * cannot be driven by another page and are not checked; neither is a cookie-less request
 * without `Origin` (curl logging in). A cookie without any origin information is refused.
 * `req.host` is the Host header, or a trusted proxy's X-Forwarded-Host (TRUST_PROXY).
 */
export function refuseCrossSite(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.headers.authorization !== undefined) return next();
    const origin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    if (origin !== undefined && origin !== 'null') {
      if (isOwnOrigin(origin, req.host, allowedOrigins)) return next();
      throw new AppError('CROSS_SITE_REQUEST', { origin });
    }
    // `Origin: null` (sandboxed frames, some redirects) says nothing; fall back to Fetch Metadata.
    if (fetchSite !== undefined) {
      if (fetchSite === 'same-origin' || fetchSite === 'none') return next();
      throw new AppError('CROSS_SITE_REQUEST', { secFetchSite: fetchSite });
    }
    if (origin === undefined && cookieValue(req.headers.cookie, SESSION_COOKIE) === null) return next();
    throw new AppError('CROSS_SITE_REQUEST', { origin: origin ?? null });
  };
}
