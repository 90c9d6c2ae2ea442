import { authRoutes } from '../accounts/api/auth-routes.ts';
import { userRoutes } from '../accounts/api/user-routes.ts';
import { deviceHistoryRoutes } from '../registry/api/device-history-routes.ts';
import { deviceRoutes } from '../registry/api/device-routes.ts';
import { importRoutes } from '../registry/api/import-routes.ts';
import { calendarRoutes } from '../calendar/api/calendar-routes.ts';
import { commandRoutes } from '../commands/api/command-routes.ts';
import { diagnosticsRoutes } from '../diagnostics/api/diagnostics-routes.ts';
import { paramRoutes } from '../params/api/param-routes.ts';
import { platformRoutes } from '../platform-tickets/api/platform-routes.ts';
import { sessionRoutes } from '../remote-sessions/api/session-routes.ts';
import { rmaRoutes } from '../rma/api/rma-routes.ts';
import { warrantyRoutes } from '../warranty/api/warranty-routes.ts';
import type { AnyRoute } from './route.ts';
import { systemRoutes } from './system-routes.ts';

/**
 * Every route of the API. app.ts mounts it, openapi.ts documents it, and the tests walk
 * it (e.g. every non-public route must answer 401 without a session), so a route added
 * here is served, documented and covered at once.
 */
export const API_ROUTES: readonly AnyRoute[] = [
  ...systemRoutes,
  ...authRoutes,
  ...userRoutes,
  // Before /api/devices/:sn so the literal path is never read as a serial.
  ...importRoutes,
  ...deviceRoutes,
  ...deviceHistoryRoutes,
  ...warrantyRoutes,
  ...diagnosticsRoutes,
  ...rmaRoutes,
  ...platformRoutes,
  ...sessionRoutes,
  ...calendarRoutes,
  ...paramRoutes,
  ...commandRoutes,
];
