import type { Figure } from './progress/figures.ts';

/**
 * The national roadmap for volunteering as the demo and the national seed load
 * it: three phases (a phased accounting system, stronger front-offices and
 * giving, international cooperation and long-term grants) and the indicators
 * each switches on. Targets are set by admins (setRoadmapTarget); the demo and
 * the seed set theirs near the data they load.
 */
export interface PlannedPhase {
  key: string;
  nameKk: string;
  nameRu: string;
  nameEn: string;
  startsOn: string;
  endsOn: string;
  switchesOn: string;
  indicators: { key: string; nameKk: string; nameRu: string; nameEn: string; figure: Figure }[];
}

export const ROADMAP: readonly PlannedPhase[] = [
  {
    key: 'accounting',
    nameKk: 'Волонтерлік қызметті есепке алу жүйесі',
    nameRu: 'Система учёта волонтёрской деятельности',
    nameEn: 'Accounting of volunteer activity',
    startsOn: '2025-01-01',
    endsOn: '2025-12-31',
    switchesOn: 'One national register of volunteers and organizations, and approved hours as the unit of account.',
    indicators: [
      {
        key: 'registered-volunteers',
        nameKk: 'Тіркелген волонтерлер',
        nameRu: 'Зарегистрированные волонтёры',
        nameEn: 'Registered volunteers',
        figure: 'REGISTERED_VOLUNTEERS',
      },
      {
        key: 'active-volunteers',
        nameKk: 'Белсенді волонтерлер',
        nameRu: 'Активные волонтёры',
        nameEn: 'Active volunteers',
        figure: 'ACTIVE_VOLUNTEERS',
      },
      {
        key: 'approved-hours',
        nameKk: 'Расталған волонтерлік сағаттар',
        nameRu: 'Подтверждённые волонтёрские часы',
        nameEn: 'Approved volunteer hours',
        figure: 'APPROVED_HOURS',
      },
      {
        key: 'registered-organizations',
        nameKk: 'Тіркелген волонтерлік ұйымдар',
        nameRu: 'Зарегистрированные волонтёрские организации',
        nameEn: 'Registered volunteer organizations',
        figure: 'REGISTERED_ORGANIZATIONS',
      },
    ],
  },
  {
    key: 'front-offices',
    nameKk: 'Фронт-офистерді және қайырымдылықты күшейту',
    nameRu: 'Укрепление фронт-офисов и благотворительности',
    nameEn: 'Stronger front-offices and giving',
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    switchesOn: 'Trainings by the national and regional front-offices, and donations accounted in one ledger.',
    indicators: [
      {
        key: 'front-office-trainings',
        nameKk: 'Фронт-офис тренингтері',
        nameRu: 'Тренинги фронт-офисов',
        nameEn: 'Front-office trainings',
        figure: 'FRONT_OFFICE_TRAININGS',
      },
      { key: 'people-trained', nameKk: 'Оқытылған адамдар', nameRu: 'Обученные люди', nameEn: 'People trained', figure: 'PEOPLE_TRAINED' },
      {
        key: 'donations',
        nameKk: 'Қайырымдылық қайырмалдары, теңге',
        nameRu: 'Пожертвования, тенге',
        nameEn: 'Donations, KZT',
        figure: 'DONATIONS_KZT',
      },
    ],
  },
  {
    key: 'cooperation',
    nameKk: 'Халықаралық ынтымақтастық және ұзақ мерзімді гранттар',
    nameRu: 'Международное сотрудничество и долгосрочные гранты',
    nameEn: 'International cooperation and long-term grants',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    switchesOn: 'Exchange missions with UN Volunteers and partner countries, and multi-year grants to volunteer organizations.',
    indicators: [
      {
        key: 'grants-disbursed',
        nameKk: 'Төленген гранттар, теңге',
        nameRu: 'Выплаченные гранты, тенге',
        nameEn: 'Grants disbursed, KZT',
        figure: 'GRANTS_DISBURSED_KZT',
      },
      {
        key: 'mission-participants',
        nameKk: 'Алмасу миссияларының қатысушылары',
        nameRu: 'Участники миссий обмена',
        nameEn: 'Exchange mission participants',
        figure: 'MISSION_PARTICIPANTS',
      },
    ],
  },
];

export const TARGET_YEARS = [2025, 2026, 2027] as const;
