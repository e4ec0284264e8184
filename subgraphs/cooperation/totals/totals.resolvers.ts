import { countryName, Forbidden, hasRole, isRegionCode, parseYear } from '../../kit/index.ts';
import type { CooperationContext } from '../context.ts';
import { findMissionTotals } from './totals.repository.ts';

export const totalsResolvers = {
  Query: {
    /** Analysts' view: read from the rollup, a few rows per year. */
    cooperationTotals: async (_: unknown, args: { year: number }, { db, viewer }: CooperationContext) => {
      if (!hasRole(viewer, 'analyst', 'admin', 'service')) throw new Forbidden('Only analysts and admins may read cooperation totals');
      const year = parseYear(args.year, 'year');
      const rows = (await findMissionTotals(db, year, year)).filter((r) => r.missions > 0 || r.participants > 0);
      const sum = <K extends string>(key: (r: (typeof rows)[number]) => K) => {
        const totals = new Map<K, { missions: number; participants: number }>();
        for (const r of rows) {
          const t = totals.get(key(r)) ?? { missions: 0, participants: 0 };
          t.missions += r.missions;
          t.participants += r.participants;
          totals.set(key(r), t);
        }
        return [...totals].sort((a, b) => b[1].participants - a[1].participants || (a[0] < b[0] ? -1 : 1));
      };
      return {
        year,
        missions: rows.reduce((n, r) => n + r.missions, 0),
        participants: rows.reduce((n, r) => n + r.participants, 0),
        byHostCountry: sum((r) => r.hostCountry).map(([country, t]) => ({ country, countryName: countryName(country), ...t })),
        byHostPartner: sum((r) => r.hostPartnerId).map(([partnerId, t]) => ({ partnerId, ...t })),
      };
    },
  },
  PartnerMissionTotals: {
    partner: (t: { partnerId: string }, _: unknown, { loaders }: CooperationContext) => loaders.partnerById.load(t.partnerId),
  },
  Region: {
    __resolveReference: (ref: { code: string }) => ({ code: ref.code }),
    missionParticipants: async (region: { code: string }, args: { year: number }, { loaders }: CooperationContext) => {
      const year = parseYear(args.year, 'year');
      if (!isRegionCode(region.code)) return 0;
      return (await loaders.regionParticipants.load({ code: region.code, year }))?.participants ?? 0;
    },
  },
};
