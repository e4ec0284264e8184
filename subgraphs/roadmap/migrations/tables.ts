import type { Generated } from 'kysely';
import type { AuditDB } from '../../kit/index.ts';
import type { Figure } from '../progress/figures.ts';

/** Row types of the roadmap schema, beside the migrations that create them. */
export interface PhaseTable {
  id: Generated<string>;
  key: string;
  position: number;
  name_kk: string;
  name_ru: string;
  name_en: string;
  starts_on: string;
  ends_on: string;
  switches_on: string;
}

export interface IndicatorTable {
  id: Generated<string>;
  key: string;
  phase_id: string;
  position: number;
  name_kk: string;
  name_ru: string;
  name_en: string;
  figure: Figure;
}

export interface TargetTable {
  id: Generated<string>;
  indicator_id: string;
  /** A KATO region code, or 'national'. */
  scope: string;
  year: number;
  /** numeric(20,2): a string on both drivers. */
  value: string;
  set_at: Generated<Date>;
}

export interface RoadmapDB extends AuditDB {
  phases: PhaseTable;
  indicators: IndicatorTable;
  targets: TargetTable;
}
