import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type RequestHandler } from 'express';
import type { HttpAppDeps } from './deps.ts';
import { createCostlyLimiter } from './costly-limits.ts';
import { refuseCrossSite } from './cross-site.ts';
import { apiNotFound, errorHandler } from './error-handler.ts';
import { ERROR_MESSAGES } from './error-messages.ts';
import { metricsEndpoint } from './metrics-endpoint.ts';
import { mountRoutes } from './mount-routes.ts';
import { requestIds } from './request-ids.ts';
import { PROJECT_ROOT } from '../project-root.ts';

// Answers carry sessions' data and one-time secrets: no cache may keep them.
const apiHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

/** The dashboard's static files (plain ES modules, no build step), served at `/` from the checkout. */
const DASHBOARD_DIR = join(PROJECT_ROOT, 'dashboard');

/**
 * The dashboard's pages may run only their own files: no inline scripts or styles, so data
 * that slipped into the markup could not execute. connect-src names ws:/wss: for socket.io's
 * WebSocket upgrade; the origin check in the realtime layer keeps it to this host.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Third-party ES modules the dashboard imports, served from node_modules as shipped: FormatJS'
 * intl-messageformat as its single-file ES module build (dependencies inlined), so the page needs
 * no bundler and no import map.
 */
const VENDOR_FILES = new Map([
  ['intl-messageformat.js', join(dirname(createRequire(import.meta.url).resolve('intl-messageformat')), 'intl-messageformat.iife.js')],
]);

/**
 * The error codes' words as an ES module for the dashboard (typed there against error-messages.ts
 * through its tsconfig paths): the page puts a code in words in its own language, also for codes
 * that reach it without a message (socket.io acks, a move's blocking code).
 */
const ERROR_MESSAGES_MODULE = `export const ERROR_MESSAGES = ${JSON.stringify(ERROR_MESSAGES)};\n`;

const dashboardHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/**
 * The HTTP API: mounts the route groups the composition root hands it. Client addresses (for the login throttle) and the scheme (for the cookie's
 * Secure flag) are the socket's, unless TRUST_PROXY names the reverse proxy in front.
 */
export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy the socket is plain HTTP from the proxy: only the trusted
  // hop's X-Forwarded-Proto/-For make req.secure true and req.ip the client's address.
  app.set('trust proxy', deps.config.TRUST_PROXY);
  if (deps.metrics) app.get('/metrics', metricsEndpoint(deps.metrics));
  app.use('/api', requestIds(deps.logger), apiHeaders, refuseCrossSite(deps.config.ALLOWED_ORIGINS));
  const router = express.Router();
  // Shared by every route marked `costly`.
  mountRoutes(router, deps, createCostlyLimiter(deps.costlyLimits, deps.rateLimiters));
  app.use(router);
  app.use('/api', apiNotFound);
  // After the API's catch-all, so no /api path ever reaches the static files. express's
  // default `max-age=0` with an ETag makes browsers revalidate, so an upgrade shows at once.
  app.get('/i18n/error-messages.js', dashboardHeaders, (_req, res) => {
    res.type('text/javascript').send(ERROR_MESSAGES_MODULE);
  });
  app.get('/vendor/:file', dashboardHeaders, (req, res, next) => {
    const file = VENDOR_FILES.get(String(req.params.file));
    if (file) res.sendFile(file);
    else next();
  });
  app.use(dashboardHeaders, express.static(DASHBOARD_DIR));
  app.use(errorHandler(deps.logger));
  return app;
}
