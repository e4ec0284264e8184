import type { MigrationIndex } from '../../kit/index.ts';
import * as init from './20261125100000-init.ts';

/** Every migration of the donations schema, in order. */
export const migrations: MigrationIndex = {
  '20261125100000-init': init,
};
