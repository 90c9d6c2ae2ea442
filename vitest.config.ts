import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
