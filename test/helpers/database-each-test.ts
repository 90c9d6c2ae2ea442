import { afterEach, beforeEach } from 'vitest';
import type { Db, OpenedDatabase } from '../../services/platform/db/index.ts';
import { tempDir } from './temp-dir.ts';
import { openTestDatabase, testDatabaseEnv } from './test-database.ts';

export interface DatabaseEachTest {
  /** The database of the running test. */
  readonly opened: OpenedDatabase;
  readonly db: Db;
  /** Its data directory (SQLite's file, files a store keeps beside it). */
  readonly dataDir: string;
}

/**
 * A fresh database for each test of the file or describe block this is called in: SQLite in a
 * temporary directory, or a PostgreSQL database of its own in the postgres project. Closed and
 * removed after the test, after the file's own afterEach hooks. Call it before hooks that use it.
 */
export function databaseEachTest(): DatabaseEachTest {
  let current: { opened: OpenedDatabase; dir: ReturnType<typeof tempDir> } | null = null;
  beforeEach(async () => {
    const dir = tempDir('mtbox-store-test-');
    current = { dir, opened: await openTestDatabase(dir.path, await testDatabaseEnv()) };
  });
  afterEach(async () => {
    const done = current;
    current = null;
    await done?.opened.close();
    done?.dir.remove();
  });
  const now = () => {
    if (!current) throw new Error('the test database exists only while a test runs');
    return current;
  };
  return {
    get opened() {
      return now().opened;
    },
    get db() {
      return now().opened.db;
    },
    get dataDir() {
      return now().dir.path;
    },
  };
}
