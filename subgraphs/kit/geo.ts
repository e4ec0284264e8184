import { sql, type RawBuilder } from 'kysely';
import type { GeoPoint } from './validate.ts';

const EARTH_DIAMETER_METRES = 12_742_000;

/**
 * Great-circle distance in whole metres (haversine) from the row's latitude and
 * longitude columns to a point: plain SQL, no extension (the same on PGlite).
 * Null where the row has no location.
 */
export function distanceMetres(latitude: string, longitude: string, point: GeoPoint): RawBuilder<number | null> {
  const lat = sql.ref(latitude);
  const lon = sql.ref(longitude);
  return sql<number | null>`round(${EARTH_DIAMETER_METRES}::float8 * asin(sqrt(
    power(sin(radians(${lat} - ${point.latitude}::float8) / 2), 2)
    + cos(radians(${point.latitude}::float8)) * cos(radians(${lat}))
      * power(sin(radians(${lon} - ${point.longitude}::float8) / 2), 2))))::int`;
}

/** A stored location as the GraphQL GeoPoint: null unless both coordinates are there. */
export function geoPointOf(latitude: number | null, longitude: number | null): GeoPoint | null {
  return latitude === null || longitude === null ? null : { latitude, longitude };
}
