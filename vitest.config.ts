import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    setupFiles: ['test/setup-i18n.ts'],
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
