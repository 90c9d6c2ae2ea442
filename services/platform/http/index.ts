/*
 * The HTTP adapter's public face: the composition root builds the app with it; the accounts
 * capability sets and clears the session cookie it reads; the realtime layer reads the same
 * cookie and token shape in socket.io handshakes.
 */
export { createHttpApp, DASHBOARD_CSP } from './app.ts';
export { clearSessionCookie, cookieValue, SESSION_COOKIE, SESSION_TOKEN, sessionToken, setSessionCookie } from './auth.ts';
export { COSTLY_LIMITS } from './costly-limits.ts';
export type { HttpAppDeps, SessionLookup } from './deps.ts';
export { buildOpenApiDocument, type PermissionTable } from './openapi.ts';
export { type SystemRouteDeps, systemRoutes } from './system-routes.ts';
