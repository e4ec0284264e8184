import { toHours } from '../totals/approved-hours.ts';
import type { VolunteerBook } from './book.ts';

type WithMinutes = { minutes: number };
const hours = (row: WithMinutes) => toHours(row.minutes);

export const bookResolvers = {
  VolunteerBook: {
    approvedHours: (b: VolunteerBook) => toHours(b.approvedMinutes),
  },
  BookYear: { hours },
  BookDirection: { hours },
  BookOrganization: {
    hours,
    organization: (o: { organizationId: string }) => ({ id: o.organizationId }),
  },
  BookOpportunity: {
    hours,
    opportunity: (o: { opportunityId: string }) => ({ id: o.opportunityId }),
    organization: (o: { organizationId: string }) => ({ id: o.organizationId }),
  },
};
