import type { BookLine } from './book.repository.ts';

/** The volunteer book: approved work only, what a certificate is printed from. */
export interface VolunteerBook {
  volunteerId: string;
  approvedMinutes: number;
  approvedRecords: number;
  byYear: { year: number; minutes: number }[];
  byDirection: { direction: string; minutes: number }[];
  byOrganization: { organizationId: string; minutes: number }[];
  opportunitiesDone: { opportunityId: string; organizationId: string; minutes: number; firstDate: string; lastDate: string }[];
}

function sumBy<K extends string | number>(lines: readonly BookLine[], key: (l: BookLine) => K): Map<K, number> {
  const sums = new Map<K, number>();
  for (const l of lines) sums.set(key(l), (sums.get(key(l)) ?? 0) + l.minutes);
  return sums;
}

export function buildBook(volunteerId: string, lines: readonly BookLine[]): VolunteerBook {
  const opportunities = new Map<string, VolunteerBook['opportunitiesDone'][number]>();
  for (const l of lines) {
    if (!l.opportunityId) continue;
    const o = opportunities.get(l.opportunityId);
    if (!o) {
      opportunities.set(l.opportunityId, {
        opportunityId: l.opportunityId,
        organizationId: l.organizationId,
        minutes: l.minutes,
        firstDate: l.firstDate,
        lastDate: l.lastDate,
      });
    } else {
      o.minutes += l.minutes;
      if (l.firstDate < o.firstDate) o.firstDate = l.firstDate;
      if (l.lastDate > o.lastDate) o.lastDate = l.lastDate;
    }
  }
  return {
    volunteerId,
    approvedMinutes: lines.reduce((s, l) => s + l.minutes, 0),
    approvedRecords: lines.reduce((s, l) => s + l.records, 0),
    byYear: [...sumBy(lines, (l) => l.year)].map(([year, minutes]) => ({ year, minutes })).sort((a, b) => a.year - b.year),
    byDirection: [...sumBy(lines, (l) => l.direction)]
      .map(([direction, minutes]) => ({ direction, minutes }))
      .sort((a, b) => b.minutes - a.minutes || a.direction.localeCompare(b.direction)),
    byOrganization: [...sumBy(lines, (l) => l.organizationId)]
      .map(([organizationId, minutes]) => ({ organizationId, minutes }))
      .sort((a, b) => b.minutes - a.minutes || a.organizationId.localeCompare(b.organizationId)),
    opportunitiesDone: [...opportunities.values()].sort((a, b) =>
      a.lastDate < b.lastDate ? 1 : a.lastDate > b.lastDate ? -1 : a.opportunityId.localeCompare(b.opportunityId),
    ),
  };
}
