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

const afterSales: string[] = [];

const peopleAndPlatform: string[] = [];

export const POSTGRES_SUITE: string[] = [...edge, ...afterSales, ...peopleAndPlatform];
