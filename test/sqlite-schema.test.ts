import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../services/platform/db/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

/*
 * The SQLite schema the migrations produce, pinned: migrations are shared with PostgreSQL
 * through dialect helpers, and a SQLite database made by this version must stay exactly
 * what earlier versions made (an upgraded file and a fresh one must not drift apart).
 * Regenerate (only for a new migration) with  WRITE_SCHEMA_FIXTURE=1 npx vitest run test/sqlite-schema.test.ts
 */

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'sqlite-schema.sql');

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

/** Every `sql` in sqlite_master of a freshly migrated database, one statement per entry. */
async function freshSchema(): Promise<string> {
  const dir = tempDir('sqlite-schema-');
  dirs.push(dir);
  const opened = await openSqlite(dir.path);
  try {
    const rows = opened.sqlite.prepare('select sql from sqlite_master where sql is not null order by type, name').pluck().all() as string[];
    return `${rows.map((s) => `${s};`).join('\n\n')}\n`;
  } finally {
    await opened.close();
  }
}

describe('the SQLite schema', () => {
  it('is the one the migrations have always produced (test/fixtures/sqlite-schema.sql)', async () => {
    const schema = await freshSchema();
    if (process.env.WRITE_SCHEMA_FIXTURE === '1') writeFileSync(FIXTURE, schema);
    expect(schema).toBe(readFileSync(FIXTURE, 'utf8'));
  });
});
