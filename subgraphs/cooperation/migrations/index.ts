import type { MigrationIndex } from '../../kit/index.ts';
import * as init from './20261125000000-init.ts';

/** Every migration of the cooperation schema, in order. */
export const migrations: MigrationIndex = {
  '20261125000000-init': init,
};
