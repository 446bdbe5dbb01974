import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 90_000,
    hookTimeout: 60_000,
    setupFiles: ['test/support/fail-on-unhandled.ts'],
  },
});
