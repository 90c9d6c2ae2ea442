import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../services/platform/db/index.ts';
import { startPostgres } from '../helpers/engines.ts';

/** The database every test's fresh one is copied from: migrated once, so a copy is ready at once. */
export const TEMPLATE_DATABASE = 'mtbox_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL the `postgres` project's tests share, and its migrated template database. */
    postgres: { url: string; template: string };
  }
}

/**
 * One PostgreSQL for the whole `postgres` project (test/setup/postgres-suite.ts): each test
 * takes a fresh database copied from a migrated template (test/helpers/test-database.ts), so
 * tests share the server, never the data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  try {
    const migrated = await openPostgres(await server.createDatabase(TEMPLATE_DATABASE));
    await migrated.close();
  } catch (err) {
    await server.remove();
    throw err;
  }
  project.provide('postgres', { url: server.url, template: TEMPLATE_DATABASE });
  return () => server.remove();
}
