/*
 * The test files the `postgres` project (vitest.config.ts) runs a second time with every backend
 * on PostgreSQL: the ones whose backends exercise the stores. Grouped by the area whose stores
 * they cover.
 */

const edge: string[] = [];

const afterSales: string[] = [
  'services/after-sales/notifications/store/sqlite-notification-store.test.ts',
  'services/after-sales/organisations/store/sqlite-organisation-store.test.ts',
  'services/after-sales/platform-tickets/platform-concurrent-moves.test.ts',
  'services/after-sales/rma/rma-concurrent-writes.test.ts',
];

const peopleAndPlatform: string[] = [];

export const POSTGRES_SUITE: string[] = [...edge, ...afterSales, ...peopleAndPlatform];
