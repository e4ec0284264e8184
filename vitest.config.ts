import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - `unit`: pure logic (money, cursors, validators, cost, authorization planning),
 *   no servers, no database; `*.unit.test.ts` beside the code or under test/. Seconds.
 * - `graph`: the real subgraphs and the real gateway on a real database (PGlite,
 *   or PostgreSQL with TEST_DATABASE_URL); everything else under test/.
 * `npm test` runs both; `npm run test:unit` is the fast loop.
 */
export default defineConfig({
  test: {
    env: { NODE_ENV: 'test' },
    pool: 'forks',
    // Each graph test file starts every subgraph and a gateway; two files at a time fit two cores.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{platform,gateway,subgraphs,scripts,test}/**/*.unit.test.ts'],
          // Property tests run hundreds of cases: generous on a busy machine, still seconds when idle.
          testTimeout: 60_000,
          env: { NODE_ENV: 'test' },
        },
      },
      {
        test: {
          name: 'graph',
          include: ['test/**/*.test.ts'],
          // The fleet runs alone, from the build: npm run test:fleet (vitest.fleet.config.ts).
          exclude: ['**/*.unit.test.ts', 'test/fleet/**', '**/node_modules/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          env: { NODE_ENV: 'test' },
        },
      },
    ],
  },
});
