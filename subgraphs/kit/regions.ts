import { BadUserInput } from '../../platform/errors.ts';

/**
 * National reference data: the 17 regions and 3 cities of republican status
 * since 2022, by KATO code, with ISO 3166-2 codes. The organizations subgraph
 * owns the Region entity and loads this list by migration; other subgraphs use
 * it only to validate a code a caller sends, never to describe a region.
 */
export interface RegionReference {
  code: string;
  iso: string;
  kind: 'OBLAST' | 'CITY';
  nameKk: string;
  nameRu: string;
  nameEn: string;
}

export const REGIONS: readonly RegionReference[] = [
  { code: '100000000', iso: 'KZ-10', kind: 'OBLAST', nameKk: 'Абай облысы', nameRu: 'Абайская область', nameEn: 'Abai Region' },
  { code: '110000000', iso: 'KZ-11', kind: 'OBLAST', nameKk: 'Ақмола облысы', nameRu: 'Акмолинская область', nameEn: 'Akmola Region' },
  { code: '150000000', iso: 'KZ-15', kind: 'OBLAST', nameKk: 'Ақтөбе облысы', nameRu: 'Актюбинская область', nameEn: 'Aktobe Region' },
  { code: '190000000', iso: 'KZ-19', kind: 'OBLAST', nameKk: 'Алматы облысы', nameRu: 'Алматинская область', nameEn: 'Almaty Region' },
  { code: '230000000', iso: 'KZ-23', kind: 'OBLAST', nameKk: 'Атырау облысы', nameRu: 'Атырауская область', nameEn: 'Atyrau Region' },
  {
    code: '270000000',
    iso: 'KZ-27',
    kind: 'OBLAST',
    nameKk: 'Батыс Қазақстан облысы',
    nameRu: 'Западно-Казахстанская область',
    nameEn: 'West Kazakhstan Region',
  },
  { code: '310000000', iso: 'KZ-31', kind: 'OBLAST', nameKk: 'Жамбыл облысы', nameRu: 'Жамбылская область', nameEn: 'Zhambyl Region' },
  { code: '330000000', iso: 'KZ-33', kind: 'OBLAST', nameKk: 'Жетісу облысы', nameRu: 'Жетысуская область', nameEn: 'Jetisu Region' },
  {
    code: '350000000',
    iso: 'KZ-35',
    kind: 'OBLAST',
    nameKk: 'Қарағанды облысы',
    nameRu: 'Карагандинская область',
    nameEn: 'Karaganda Region',
  },
  { code: '390000000', iso: 'KZ-39', kind: 'OBLAST', nameKk: 'Қостанай облысы', nameRu: 'Костанайская область', nameEn: 'Kostanay Region' },
  {
    code: '430000000',
    iso: 'KZ-43',
    kind: 'OBLAST',
    nameKk: 'Қызылорда облысы',
    nameRu: 'Кызылординская область',
    nameEn: 'Kyzylorda Region',
  },
  {
    code: '470000000',
    iso: 'KZ-47',
    kind: 'OBLAST',
    nameKk: 'Маңғыстау облысы',
    nameRu: 'Мангистауская область',
    nameEn: 'Mangystau Region',
  },
  { code: '550000000', iso: 'KZ-55', kind: 'OBLAST', nameKk: 'Павлодар облысы', nameRu: 'Павлодарская область', nameEn: 'Pavlodar Region' },
  {
    code: '590000000',
    iso: 'KZ-59',
    kind: 'OBLAST',
    nameKk: 'Солтүстік Қазақстан облысы',
    nameRu: 'Северо-Казахстанская область',
    nameEn: 'North Kazakhstan Region',
  },
  {
    code: '610000000',
    iso: 'KZ-61',
    kind: 'OBLAST',
    nameKk: 'Түркістан облысы',
    nameRu: 'Туркестанская область',
    nameEn: 'Turkistan Region',
  },
  { code: '620000000', iso: 'KZ-62', kind: 'OBLAST', nameKk: 'Ұлытау облысы', nameRu: 'Улытауская область', nameEn: 'Ulytau Region' },
  {
    code: '630000000',
    iso: 'KZ-63',
    kind: 'OBLAST',
    nameKk: 'Шығыс Қазақстан облысы',
    nameRu: 'Восточно-Казахстанская область',
    nameEn: 'East Kazakhstan Region',
  },
  { code: '710000000', iso: 'KZ-71', kind: 'CITY', nameKk: 'Астана', nameRu: 'Астана', nameEn: 'Astana' },
  { code: '750000000', iso: 'KZ-75', kind: 'CITY', nameKk: 'Алматы', nameRu: 'Алматы', nameEn: 'Almaty' },
  { code: '790000000', iso: 'KZ-79', kind: 'CITY', nameKk: 'Шымкент', nameRu: 'Шымкент', nameEn: 'Shymkent' },
];

const CODES = new Set(REGIONS.map((r) => r.code));

export function isRegionCode(value: unknown): value is string {
  return typeof value === 'string' && CODES.has(value);
}

/** A KATO region code of the current list; anything else is the caller's mistake. */
export function parseRegionCode(value: unknown, argument: string): string {
  if (!isRegionCode(value))
    throw new BadUserInput(argument, `unknown region code ${JSON.stringify(value)} (expected a KATO code such as 710000000)`);
  return value;
}
