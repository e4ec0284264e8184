import type { MigrationIndex } from '../../kit/index.ts';
import * as init from './20261125100000-init.ts';
import * as donorsIinUnique from './20261201100000-donors-iin-unique.ts';
import * as applicantRegion from './20261207000000-applicant-region.ts';
import * as outbox from './20261210100000-outbox.ts';
import * as coFundedGrants from './20261214100000-co-funded-grants.ts';
import * as grantReportReminders from './20261215100000-grant-report-reminders.ts';

/** Every migration of the donations schema, in order. */
export const migrations: MigrationIndex = {
  '20261125100000-init': init,
  '20261201100000-donors-iin-unique': donorsIinUnique,
  '20261207000000-applicant-region': applicantRegion,
  '20261210100000-outbox': outbox,
  '20261214100000-co-funded-grants': coFundedGrants,
  '20261215100000-grant-report-reminders': grantReportReminders,
};
