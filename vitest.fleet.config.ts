import { defineConfig } from 'vitest/config';

// `npm run test:fleet`: the production topology from dist/ (build first), on PostgreSQL, Redis and nginx.
export default defineConfig({
  test: {
    include: ['test/fleet/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    env: { NODE_ENV: 'test' },
  },
});
