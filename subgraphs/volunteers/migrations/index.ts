import type { MigrationIndex } from '../../kit/index.ts';
import * as init from './20261125000000-init.ts';
import * as replacementRates from './20261125000100-replacement-rates.ts';
import * as activeVolunteers from './20261201000000-active-volunteers.ts';
import * as selfRegistrationAttempts from './20261207000000-self-registration-attempts.ts';
import * as outbox from './20261210000000-outbox.ts';
import * as notifications from './20261215000000-notifications.ts';

/** Every migration of the volunteers schema, in order. */
export const migrations: MigrationIndex = {
  '20261125000000-init': init,
  '20261125000100-replacement-rates': replacementRates,
  '20261201000000-active-volunteers': activeVolunteers,
  '20261207000000-self-registration-attempts': selfRegistrationAttempts,
  '20261210000000-outbox': outbox,
  '20261215000000-notifications': notifications,
};
