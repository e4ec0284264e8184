import {
  BadUserInput,
  cursorCodec,
  parseDay,
  parseGeoPoint,
  parseInteger,
  parseLanguages,
  parsePage,
  parseRegionCode,
  parseText,
  today,
  toConnection,
  type CursorCodec,
  type CursorKey,
  type Page,
  type PageArgs,
} from '../../kit/index.ts';
import { opportunityVisibility } from '../access.ts';
import type { OrganizationsContext } from '../context.ts';
import {
  countSearch,
  searchOpportunities,
  type OpportunitySearch,
  type SearchCounts,
  type SearchHit,
  type SearchKey,
  type SearchOrder,
} from './opportunity-search.repository.ts';

/** One codec per order: a cursor of one order is refused by another (BAD_USER_INPUT). */
const codecs = {
  STARTS_ON: cursorCodec('searchOpportunities', ['day', 'id']),
  RELEVANCE: cursorCodec('searchOpportunities.relevance', ['integer', 'day', 'id']),
  DISTANCE: cursorCodec('searchOpportunities.distance', ['integer', 'id']),
} as const;

const keyOf: Record<SearchOrder, (hit: SearchHit) => CursorKey> = {
  STARTS_ON: (h) => [h.opportunity.startsOn, h.opportunity.id],
  RELEVANCE: (h) => [h.rank ?? 0, h.opportunity.startsOn, h.opportunity.id],
  DISTANCE: (h) => [h.distanceMetres ?? 0, h.opportunity.id],
};

const MAX_WORDS = 10;
const MAX_RADIUS_KM = 5_000;

/**
 * The words of a free-text query as a `to_tsquery('simple', …)` text: letters and digits
 * of any script (Kazakh, Russian, English), each a prefix, all required. Only words reach
 * SQL (as a parameter), never tsquery operators. Null for a blank query.
 */
export function toTsquery(query: string | null | undefined): string | null {
  if (query === null || query === undefined) return null;
  const text = parseText(query, 'query', { max: 500, required: false, singleLine: true });
  if (!text.trim()) return null;
  const words = [
    ...new Set(
      text
        .normalize('NFC')
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? [],
    ),
  ];
  if (words.length === 0) throw new BadUserInput('query', 'no word to search for (letters or digits)');
  if (words.length > MAX_WORDS) throw new BadUserInput('query', `at most ${MAX_WORDS} words`);
  return words.map((w) => `${w.slice(0, 100)}:*`).join(' & ');
}

interface SearchFilterInput {
  regionCodes?: string[] | null;
  directions?: string[] | null;
  skills?: string[] | null;
  languages?: string[] | null;
  from?: string | null;
  to?: string | null;
  age?: number | null;
  acceptingApplications?: boolean | null;
  online?: boolean | null;
  near?: { latitude: number; longitude: number; radiusKm?: number | null } | null;
}

const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

function parseSearch(query: string | null | undefined, filter: SearchFilterInput | null | undefined): OpportunitySearch {
  const f = filter ?? {};
  const search: OpportunitySearch = { tsquery: toTsquery(query), today: today() };
  if (given(f.regionCodes)) search.regionCodes = f.regionCodes.map((code, i) => parseRegionCode(code, `filter.regionCodes[${i}]`));
  if (given(f.directions)) search.directions = [...f.directions];
  if (given(f.skills)) search.skills = f.skills.map((s, i) => parseText(s, `filter.skills[${i}]`, { max: 100 }));
  if (given(f.languages)) search.languages = parseLanguages(f.languages, 'filter.languages');
  if (given(f.from)) search.from = parseDay(f.from, 'filter.from');
  if (given(f.to)) search.to = parseDay(f.to, 'filter.to');
  if (search.from && search.to && search.to < search.from) throw new BadUserInput('filter.to', `before filter.from (${search.from})`);
  if (given(f.age)) search.age = parseInteger(f.age, 'filter.age', 0, 120);
  if (given(f.acceptingApplications)) search.acceptingApplications = f.acceptingApplications;
  if (given(f.online)) search.online = f.online;
  if (given(f.near)) {
    const radiusKm = f.near.radiusKm ?? 50;
    if (typeof radiusKm !== 'number' || !Number.isFinite(radiusKm) || radiusKm <= 0 || radiusKm > MAX_RADIUS_KM) {
      throw new BadUserInput('filter.near.radiusKm', `expected more than 0 and at most ${MAX_RADIUS_KM} km`);
    }
    search.near = { ...parseGeoPoint(f.near, 'filter.near'), radiusKm };
  }
  return search;
}

interface SearchArgs extends PageArgs {
  query?: string | null;
  filter?: SearchFilterInput | null;
  orderBy?: SearchOrder | null;
}

/** What the connection's totalCount and facets read: counted once, and only when asked. */
interface SearchConnectionSource {
  counts: () => Promise<SearchCounts>;
}

export const opportunitySearchResolvers = {
  Query: {
    searchOpportunities: async (_: unknown, args: SearchArgs, { db, viewer }: OrganizationsContext) => {
      const search = parseSearch(args.query, args.filter);
      const order = args.orderBy ?? 'STARTS_ON';
      if (order === 'RELEVANCE' && search.tsquery === null) throw new BadUserInput('orderBy', 'RELEVANCE needs a query');
      if (order === 'DISTANCE' && !search.near) throw new BadUserInput('orderBy', 'DISTANCE needs filter.near');
      const page: Page<SearchKey> = parsePage(args, codecs[order] as CursorCodec<SearchKey>);
      const visibility = opportunityVisibility(viewer);
      const hits = await searchOpportunities(db, search, visibility, order, page);
      const connection = toConnection(hits, page, keyOf[order]);
      let counted: Promise<SearchCounts> | null = null;
      const source: SearchConnectionSource = { counts: () => (counted ??= countSearch(db, search, visibility)) };
      return {
        ...source,
        edges: connection.edges.map((e) => ({
          cursor: e.cursor,
          node: e.node.opportunity,
          distanceKm: e.node.distanceMetres === null ? null : e.node.distanceMetres / 1000,
        })),
        nodes: connection.nodes.map((h) => h.opportunity),
        pageInfo: connection.pageInfo,
      };
    },
  },
  OpportunitySearchConnection: {
    totalCount: async (c: SearchConnectionSource) => (await c.counts()).total,
    facets: async (c: SearchConnectionSource) => {
      const counts = await c.counts();
      return { directions: counts.byDirection, regions: counts.byRegion };
    },
  },
  RegionCount: {
    region: (r: { regionCode: string }, _: unknown, { loaders }: OrganizationsContext) => loaders.regionByCode.load(r.regionCode),
  },
};
