/*
 * The test files the `postgres` project (vitest.config.ts) runs a second time with every backend
 * on PostgreSQL: the ones whose backends exercise the stores. Grouped by the area whose stores
 * they cover.
 */

const edge: string[] = [];

const afterSales: string[] = [];

const peopleAndPlatform: string[] = [
  'services/remote-support/sessions/store/session-stores-concurrency.test.ts',
  'services/platform/accounts/store/account-stores-concurrency.test.ts',
  'services/remote-support/params/store/sqlite-snapshot-store.test.ts',
];

export const POSTGRES_SUITE: string[] = [...edge, ...afterSales, ...peopleAndPlatform];
