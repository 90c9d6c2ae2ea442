/*
 * The test files the `postgres` project (vitest.config.ts) runs a second time with every backend
 * on PostgreSQL: the ones whose backends exercise the stores. Grouped by the area whose stores
 * they cover.
 */

const edge: string[] = [
  'test/api-devices.test.ts',
  'test/api-device-paging.test.ts',
  'test/api-import.test.ts',
  'test/api-organisation-boxes.test.ts',
  'test/mqtt-acl.test.ts',
  'test/mqtt-box-secrets.test.ts',
  'test/mqtt-conformance.test.ts',
  'test/mqtt-intake.test.ts',
  'test/mqtt-lockout.test.ts',
  'test/mqtt-presence.test.ts',
  'test/mqtt-tls.test.ts',
  'test/commands-lifecycle.test.ts',
  'test/telemetry-routing.test.ts',
  'test/fleet-end-to-end.test.ts',
  'test/api-device-history.test.ts',
  'services/edge/registry/store/sqlite-device-store.test.ts',
  // To add once the stores they also reach run on PostgreSQL: commands-end-to-end, commands-wire,
  // hostile-box (parameter backups), presence-live, log-secrets (remote sessions, customer links),
  // metrics-readiness, metrics-work (the diagnostics case store).
];

const afterSales: string[] = [
  'services/after-sales/notifications/store/sqlite-notification-store.test.ts',
  'services/after-sales/organisations/store/sqlite-organisation-store.test.ts',
  'services/after-sales/platform-tickets/platform-concurrent-moves.test.ts',
  'services/after-sales/rma/rma-concurrent-writes.test.ts',
  'test/api-catalog-languages.test.ts',
  'test/api-data-language.test.ts',
  'test/api-first-response-setting.test.ts',
  'test/api-notifications.test.ts',
  'test/api-offered-moves.test.ts',
  'test/api-organisations.test.ts',
  'test/api-platform-tickets.test.ts',
  'test/api-portal-platform.test.ts',
  'test/api-portal-rma.test.ts',
  'test/api-rma-seed-pricing.test.ts',
  'test/api-rma-workflow.test.ts',
  'test/api-ticket-moves.test.ts',
  'test/api-ticket-paging.test.ts',
  'test/api-warranty-agreement.test.ts',
  'test/api-webhooks.test.ts',
  'test/diagnostics-burst.test.ts',
  'test/diagnostics-end-to-end.test.ts',
  'test/diagnostics-resume.test.ts',
  'test/rma-deadlines-restart.test.ts',
];

const peopleAndPlatform: string[] = [];

export const POSTGRES_SUITE: string[] = [...edge, ...afterSales, ...peopleAndPlatform];
