/** Who publishes the open data (the register's operator), as the standards identify publishers. */
export interface Publisher {
  /** IATI organisation identifier (org-id.guide), e.g. `KZ-BIN-<12 digits>`; prefixes every iati-identifier. */
  ref: string;
  name: string;
  /** IATI OrganisationType code: 10 government, 15 other public sector, 22 national NGO. @default '10' */
  type: string;
  /** 360Giving identifier prefix, registered with 360Giving, e.g. `360G-volunteergraph`. */
  prefix360: string;
  /** Licence the data is published under. @default 'https://creativecommons.org/licenses/by/4.0/' */
  license: string;
}

export function publisherFromEnv(env: NodeJS.ProcessEnv = process.env): Publisher {
  return {
    ref: env.OPEN_DATA_PUBLISHER_REF ?? 'KZ-BIN-000000000000',
    name: env.OPEN_DATA_PUBLISHER_NAME ?? 'National Volunteer Register of Kazakhstan (development)',
    type: env.OPEN_DATA_PUBLISHER_TYPE ?? '10',
    prefix360: env.OPEN_DATA_360G_PREFIX ?? '360G-volunteergraph',
    license: env.OPEN_DATA_LICENSE ?? 'https://creativecommons.org/licenses/by/4.0/',
  };
}

/** An organization's identifier after org-id.guide: its BIN (KZ-BIN), else one under the publisher's prefix. */
export function organizationIdentifier(publisher: Publisher, organization: { id: string; bin: string | null }): string {
  return organization.bin ? `KZ-BIN-${organization.bin}` : `${publisher.prefix360}-organization-${organization.id}`;
}
