import type { MigrationIndex } from '../../kit/index.ts';
import * as init from './20261207000000-init.ts';

/** Every migration of the roadmap schema, in order. */
export const migrations: MigrationIndex = {
  '20261207000000-init': init,
};
