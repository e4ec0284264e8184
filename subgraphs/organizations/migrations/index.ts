import type { MigrationIndex } from '../../kit/index.ts';
import * as init from './20261125000000-init.ts';
import * as registerDepth from './20261125120000-register-depth.ts';
import * as searchDirectory from './20261207000000-search-directory.ts';

/** Every migration of the organizations schema, in order. */
export const migrations: MigrationIndex = {
  '20261125000000-init': init,
  '20261125120000-register-depth': registerDepth,
  '20261207000000-search-directory': searchDirectory,
};
