/*
 * The test files the `postgres` project (vitest.config.ts) runs a second time with every backend
 * on PostgreSQL: the ones whose backends exercise the stores. Grouped by the area whose stores
 * they cover.
 */

const edge: string[] = ['test/commands-lifecycle.test.ts', 'services/edge/registry/store/sqlite-device-store.test.ts'];

const afterSales: string[] = [];

const peopleAndPlatform: string[] = [];

export const POSTGRES_SUITE: string[] = [...edge, ...afterSales, ...peopleAndPlatform];
