import { authRoutes } from '../accounts/api/auth-routes.ts';
import { userRoutes } from '../accounts/api/user-routes.ts';
import { deviceHistoryRoutes } from '../../edge/registry/api/device-history-routes.ts';
import { deviceRoutes } from '../../edge/registry/api/device-routes.ts';
import { importRoutes } from '../../edge/registry/api/import-routes.ts';
import { calendarRoutes } from '../../after-sales/calendar/api/calendar-routes.ts';
import { commandRoutes } from '../../edge/commands/api/command-routes.ts';
import { diagnosticsRoutes } from '../../after-sales/diagnostics/api/diagnostics-routes.ts';
import { paramRoutes } from '../../remote-support/params/api/param-routes.ts';
import { platformRoutes } from '../../after-sales/platform-tickets/api/platform-routes.ts';
import { sessionRoutes } from '../../remote-support/sessions/api/session-routes.ts';
import { rmaRoutes } from '../../after-sales/rma/api/rma-routes.ts';
import { warrantyRoutes } from '../../after-sales/warranty/api/warranty-routes.ts';
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
