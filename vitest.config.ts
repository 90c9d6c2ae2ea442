import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    globalSetup: ['test/setup/debian-packages.ts'],
    include: [
      'services/**/*.test.ts',
      'broker/**/*.test.ts',
      'device-sim/**/*.test.ts',
      'tunnel-proxy/**/*.test.ts',
      'test/**/*.test.ts',
      'test/dashboard/*.test.js',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real brokers and servers on free ports; two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
