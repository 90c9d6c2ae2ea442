import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { POSTGRES_SUITE } from './test/setup/postgres-suite.ts';

export default defineConfig({
  // The dashboard's modules import what the backend serves at these paths (http/app.ts); its
  // tests in Node read the same files from where the backend takes them.
  resolve: {
    alias: {
      '/vendor/intl-messageformat.js': 'intl-messageformat',
      '/i18n/error-messages.js': fileURLToPath(new URL('./services/platform/http/error-messages.ts', import.meta.url)),
    },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real brokers and servers on free ports; two cores.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          globalSetup: ['test/setup/debian-packages.ts'],
          include: [
            'services/**/*.test.ts',
            'broker/**/*.test.ts',
            'device-sim/**/*.test.ts',
            'tunnel-proxy/**/*.test.ts',
            'test/**/*.test.ts',
            'test/dashboard/*.test.js',
          ],
          // PostgreSQL's own store tests run in the postgres project only.
          exclude: ['**/node_modules/**', '**/*.postgres.test.ts'],
        },
      },
      {
        // The same stores on PostgreSQL (DATABASE_URL): the store-heavy files again, and the
        // PostgreSQL-only *.postgres.test.ts, each test on a fresh database of one server
        // started for the project.
        extends: true,
        test: {
          name: 'postgres',
          globalSetup: ['test/setup/debian-packages.ts', 'test/setup/postgres-server.ts'],
          include: [...POSTGRES_SUITE, 'services/**/*.postgres.test.ts', 'test/**/*.postgres.test.ts'],
          env: { MTBOX_TEST_DATABASE: 'postgres' },
        },
      },
    ],
  },
});
