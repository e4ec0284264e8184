import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { distanceMetres, type GeoPoint, type Page } from '../../kit/index.ts';
import type { OpportunityVisibility } from '../access.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import { OPPORTUNITY_COLUMNS, rowToOpportunity, type Opportunity } from './opportunity.repository.ts';

/** A search, already validated (the resolver's job). Every filter is optional; all given ones must hold. */
export interface OpportunitySearch {
  /** A `to_tsquery('simple', …)` text built of words only (prefix matches, all words required); null: no text. */
  tsquery: string | null;
  regionCodes?: string[] | undefined;
  directions?: string[] | undefined;
  /** Needs at least one of these skills. */
  skills?: string[] | undefined;
  /** Run in at least one of these languages. */
  languages?: string[] | undefined;
  /** Runs on some day of [from, to] (either end may be open). */
  from?: string | undefined;
  to?: string | undefined;
  /** The caller's age: its minimum age is at most this. */
  age?: number | undefined;
  /** OPEN, not ended on `today`, organization REGISTERED (true), or its negation (false). */
  acceptingApplications?: boolean | undefined;
  today: string;
  online?: boolean | undefined;
  /** Within radiusKm of the point (opportunities with a location only). */
  near?: (GeoPoint & { radiusKm: number }) | undefined;
}

export type SearchOrder = 'STARTS_ON' | 'RELEVANCE' | 'DISTANCE';

/** Keys of the three orders (see the resolver's cursor codecs). */
export type SearchKey = readonly [string, string] | readonly [number, string, string] | readonly [number, string];

export interface SearchHit {
  opportunity: Opportunity;
  /** Relevance × 10⁶, rounded (RELEVANCE only), and metres from `near` (when given). */
  rank: number | null;
  distanceMetres: number | null;
}

const KM_PER_DEGREE = 111.32;

const distanceFrom = (point: GeoPoint) => distanceMetres('opportunities.latitude', 'opportunities.longitude', point);

function relevance(tsquery: string) {
  return sql<number>`round(ts_rank(opportunities.search_document, to_tsquery('simple', ${tsquery})) * 1000000)::int`;
}

function matches(search: OpportunitySearch, visibility: OpportunityVisibility) {
  return (eb: ExpressionBuilder<OrganizationsDB, 'opportunities'>): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = [];
    if (!visibility.all) {
      const published = eb('opportunities.status', '<>', 'DRAFT');
      all.push(visibility.draftsOf.length ? eb.or([published, eb('opportunities.organization_id', 'in', visibility.draftsOf)]) : published);
    }
    if (search.tsquery !== null) all.push(sql<SqlBool>`opportunities.search_document @@ to_tsquery('simple', ${search.tsquery})`);
    if (search.regionCodes?.length) all.push(eb('opportunities.region_code', 'in', search.regionCodes));
    if (search.directions?.length) all.push(eb('opportunities.direction', 'in', search.directions));
    if (search.skills?.length) all.push(sql<SqlBool>`opportunities.skills_needed && ${sql.val(search.skills)}::text[]`);
    if (search.languages?.length) all.push(sql<SqlBool>`opportunities.languages && ${sql.val(search.languages)}::text[]`);
    if (search.from) all.push(eb('opportunities.ends_on', '>=', search.from));
    if (search.to) all.push(eb('opportunities.starts_on', '<=', search.to));
    if (search.age !== undefined) all.push(eb('opportunities.minimum_age', '<=', search.age));
    if (search.online !== undefined) all.push(eb('opportunities.online', '=', search.online));
    if (search.acceptingApplications !== undefined) {
      const accepting = eb.and([
        eb('opportunities.status', '=', 'OPEN'),
        eb('opportunities.ends_on', '>=', search.today),
        eb.exists(
          eb
            .selectFrom('organizations')
            .select(sql`1`.as('one'))
            .whereRef('organizations.id', '=', 'opportunities.organization_id')
            .where('organizations.status', '=', 'REGISTERED'),
        ),
      ]);
      all.push(search.acceptingApplications ? accepting : eb.not(accepting));
    }
    if (search.near) {
      const { latitude, longitude, radiusKm } = search.near;
      // A bounding box first (cheap, indexable), then the exact distance.
      const dLat = radiusKm / KM_PER_DEGREE;
      const dLon = radiusKm / (KM_PER_DEGREE * Math.max(Math.cos((latitude * Math.PI) / 180), 0.01));
      all.push(eb('opportunities.latitude', '>=', latitude - dLat), eb('opportunities.latitude', '<=', latitude + dLat));
      if (dLon < 180)
        all.push(eb('opportunities.longitude', '>=', longitude - dLon), eb('opportunities.longitude', '<=', longitude + dLon));
      all.push(sql<SqlBool>`${distanceFrom(search.near)} <= ${Math.round(radiusKm * 1000)}`);
    }
    return all.length ? eb.and(all) : sql<SqlBool>`true`;
  };
}

/** One page of a search, in one statement, ordered by the given order then id. */
export async function searchOpportunities(
  db: Kysely<OrganizationsDB>,
  search: OpportunitySearch,
  visibility: OpportunityVisibility,
  order: SearchOrder,
  page: Page<SearchKey>,
): Promise<SearchHit[]> {
  const rank = order === 'RELEVANCE' && search.tsquery !== null ? relevance(search.tsquery) : null;
  const distance = search.near ? distanceFrom(search.near) : null;
  let query = db
    .selectFrom('opportunities')
    .select(OPPORTUNITY_COLUMNS)
    .select([(rank ?? sql<number | null>`null::int`).as('search_rank'), (distance ?? sql<number | null>`null::int`).as('search_distance')])
    .where(matches(search, visibility));
  const after = page.after;
  if (order === 'RELEVANCE' && rank) {
    if (after) {
      const [r, startsOn, id] = after as readonly [number, string, string];
      query = query.where(
        sql<SqlBool>`(${rank} < ${r} or (${rank} = ${r} and (opportunities.starts_on, opportunities.id) > (${startsOn}::date, ${id}::uuid)))`,
      );
    }
    query = query.orderBy(rank, 'desc').orderBy('opportunities.starts_on').orderBy('opportunities.id');
  } else if (order === 'DISTANCE' && distance) {
    if (after) {
      const [d, id] = after as readonly [number, string];
      query = query.where(sql<SqlBool>`(${distance}, opportunities.id) > (${d}::int, ${id}::uuid)`);
    }
    query = query.orderBy(distance).orderBy('opportunities.id');
  } else {
    if (after) {
      const [startsOn, id] = after as readonly [string, string];
      query = query.where(sql<SqlBool>`(opportunities.starts_on, opportunities.id) > (${startsOn}::date, ${id}::uuid)`);
    }
    query = query.orderBy('opportunities.starts_on').orderBy('opportunities.id');
  }
  const rows = await query.limit(page.limit).execute();
  return rows.map((row) => ({
    opportunity: rowToOpportunity(row),
    rank: row.search_rank,
    distanceMetres: row.search_distance,
  }));
}

export interface SearchCounts {
  total: number;
  byDirection: { direction: string; count: number }[];
  byRegion: { regionCode: string; count: number }[];
}

/** The exact number of matches, and their counts by direction and by region, in one statement. */
export async function countSearch(
  db: Kysely<OrganizationsDB>,
  search: OpportunitySearch,
  visibility: OpportunityVisibility,
): Promise<SearchCounts> {
  const rows = await db
    .selectFrom('opportunities')
    .select([
      sql<string | null>`opportunities.direction`.as('direction'),
      sql<string | null>`opportunities.region_code`.as('region_code'),
      sql<number>`count(*)::int`.as('n'),
      sql<number>`grouping(opportunities.direction, opportunities.region_code)::int`.as('level'),
    ])
    .where(matches(search, visibility))
    .groupBy(sql`grouping sets ((opportunities.direction), (opportunities.region_code), ())`)
    .execute();
  const counts: SearchCounts = { total: 0, byDirection: [], byRegion: [] };
  for (const row of rows) {
    if (row.level === 3) counts.total = row.n;
    else if (row.level === 1) counts.byDirection.push({ direction: row.direction as string, count: row.n });
    else counts.byRegion.push({ regionCode: row.region_code as string, count: row.n });
  }
  counts.byDirection.sort((a, b) => b.count - a.count || a.direction.localeCompare(b.direction));
  counts.byRegion.sort((a, b) => b.count - a.count || a.regionCode.localeCompare(b.regionCode));
  return counts;
}
