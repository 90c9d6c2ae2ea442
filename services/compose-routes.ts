import { calendarRoutes, type CalendarRouteDeps } from './after-sales/calendar/api/calendar-routes.ts';
import { diagnosticsRoutes, type DiagnosticsRouteDeps } from './after-sales/diagnostics/api/diagnostics-routes.ts';
import { organisationRoutes, type OrganisationRouteDeps } from './after-sales/organisations/api/organisation-routes.ts';
import { notificationRoutes, type NotificationRouteDeps } from './after-sales/notifications/api/notification-routes.ts';
import { portalRoutes, type PortalRouteDeps } from './after-sales/portal/api/portal-routes.ts';
import { platformRoutes, type PlatformRouteDeps } from './after-sales/platform-tickets/api/platform-routes.ts';
import { portalPlatformRoutes } from './after-sales/platform-tickets/api/portal-platform-routes.ts';
import { rmaRoutes, type RmaRouteDeps } from './after-sales/rma/api/rma-routes.ts';
import { supportRoutes, type SupportRouteDeps } from './after-sales/support/api/support-routes.ts';
import { warrantyRoutes, type WarrantyRouteDeps } from './after-sales/warranty/api/warranty-routes.ts';
import { commandRoutes, type CommandRouteDeps } from './edge/commands/api/command-routes.ts';
import { deviceHistoryRoutes } from './edge/registry/api/device-history-routes.ts';
import { deviceRoutes } from './edge/registry/api/device-routes.ts';
import { importRoutes } from './edge/registry/api/import-routes.ts';
import type { RegistryRouteDeps } from './edge/registry/api/registry-route-deps.ts';
import { type AnyRoute, type AnyRouteShape, type BoundRoute, bindRoutes } from './kernel/route-definition.ts';
import type { AccountRouteDeps } from './platform/accounts/api/account-route-deps.ts';
import { authRoutes } from './platform/accounts/api/auth-routes.ts';
import { invitationRoutes } from './platform/accounts/api/invitation-routes.ts';
import { userRoutes } from './platform/accounts/api/user-routes.ts';
import { type SystemRouteDeps, systemRoutes } from './platform/http/index.ts';
import { paramRoutes, type ParamRouteDeps } from './remote-support/params/api/param-routes.ts';
import { sessionRoutes, type SessionRouteDeps } from './remote-support/sessions/api/session-routes.ts';
import { portalSessionRoutes } from './remote-support/sessions/api/portal-session-routes.ts';
import { type TunnelRouteDeps, tunnelRoutes } from './remote-support/tunnels/api/tunnel-routes.ts';

/** What each capability's routes need, by capability. */
export interface ApiRouteDeps {
  system: SystemRouteDeps;
  accounts: AccountRouteDeps;
  registry: RegistryRouteDeps;
  warranty: WarrantyRouteDeps;
  diagnostics: DiagnosticsRouteDeps;
  rma: RmaRouteDeps;
  platform: PlatformRouteDeps;
  sessions: SessionRouteDeps;
  calendar: CalendarRouteDeps;
  support: SupportRouteDeps;
  organisations: OrganisationRouteDeps;
  notifications: NotificationRouteDeps;
  portal: PortalRouteDeps;
  params: ParamRouteDeps;
  commands: CommandRouteDeps;
  tunnels: TunnelRouteDeps;
}

interface Group {
  routes: readonly AnyRouteShape[];
  bind(deps: ApiRouteDeps): BoundRoute[];
}

function group<K extends keyof ApiRouteDeps>(key: K, routes: readonly AnyRoute<ApiRouteDeps[K]>[]): Group {
  return { routes, bind: (deps) => bindRoutes(routes, deps[key]) };
}

/**
 * The route table: every capability's routes in mounting order. The HTTP adapter mounts it,
 * the OpenAPI writer documents it, and the tests walk it (e.g. every non-public route must
 * answer 401 without a session), so a route added to a group here is served, documented and
 * covered at once.
 */
const TABLE: readonly Group[] = [
  group('system', systemRoutes),
  group('accounts', authRoutes),
  group('accounts', userRoutes),
  group('accounts', invitationRoutes),
  group('organisations', organisationRoutes),
  group('notifications', notificationRoutes),
  // Before /api/devices/:sn so the literal path is never read as a serial.
  group('registry', importRoutes),
  group('registry', deviceRoutes),
  group('registry', deviceHistoryRoutes),
  group('warranty', warrantyRoutes),
  group('diagnostics', diagnosticsRoutes),
  group('rma', rmaRoutes),
  group('platform', platformRoutes),
  group('platform', portalPlatformRoutes),
  group('portal', portalRoutes),
  group('sessions', sessionRoutes),
  group('sessions', portalSessionRoutes),
  group('calendar', calendarRoutes),
  group('support', supportRoutes),
  group('params', paramRoutes),
  group('commands', commandRoutes),
  group('tunnels', tunnelRoutes),
];

/** Every route of the API, unbound: what openapi.json and the tests read. */
export const API_ROUTES: readonly AnyRouteShape[] = TABLE.flatMap((g) => g.routes);

/** Every route of the API bound to what its handlers need, in mounting order. */
export function bindApiRoutes(deps: ApiRouteDeps): BoundRoute[] {
  return TABLE.flatMap((g) => g.bind(deps));
}
