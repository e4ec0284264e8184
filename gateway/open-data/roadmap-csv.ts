/**
 * The roadmap's targets against actuals as CSV (RFC 4180): for one year, a row
 * per indicator for the nation and for each region, with the target (empty
 * when none is set), the actual its owning subgraph reports, the share
 * achieved and the status. Aggregates only.
 */
import { csvField } from './register-csv.ts';

export interface OpenProgress {
  indicator: { key: string; nameEn: string; unit: string; measuredBy: string };
  target: number | null;
  actual: number;
  share: number | null;
  status: string;
}

export interface OpenRegionYear {
  regionCode: string;
  region: { iso: string; nameEn: string } | null;
  progress: OpenProgress[];
}

export const ROADMAP_QUERY = `query OpenDataRoadmap($year: Int!) {
  national: roadmapProgress(year: $year) { ...OpenRegionYear }
  regions: roadmapProgressByRegion(year: $year) { ...OpenRegionYear }
}
fragment OpenRegionYear on RegionYear {
  regionCode
  region { iso nameEn }
  progress { indicator { key nameEn unit measuredBy } target actual share status }
}`;

export const ROADMAP_COLUMNS = [
  'year',
  'region_code',
  'region_iso',
  'region_name_en',
  'indicator',
  'indicator_name_en',
  'unit',
  'measured_by',
  'target',
  'actual',
  'share',
  'status',
] as const;

export function roadmapCsv(year: number, national: OpenRegionYear, regions: readonly OpenRegionYear[]): string {
  const rows = [national, ...[...regions].sort((a, b) => a.regionCode.localeCompare(b.regionCode))].flatMap((ry) =>
    ry.progress.map((p) => [
      year,
      ry.regionCode,
      ry.region?.iso ?? 'KZ',
      ry.region?.nameEn ?? 'Kazakhstan',
      p.indicator.key,
      p.indicator.nameEn,
      p.indicator.unit,
      p.indicator.measuredBy,
      p.target ?? '',
      p.actual,
      p.share === null ? '' : p.share.toFixed(4),
      p.status,
    ]),
  );
  return [ROADMAP_COLUMNS, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
