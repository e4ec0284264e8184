/**
 * Open-data exports, fetched through the gateway as GraphQL queries:
 *   npm run export                                  — all datasets into exports/
 *   npm run export -- --out dir --year 2025 --only iati,360giving,register
 *   npm run export -- --gateway https://graph.example.kz/graphql --token <analyst token>
 * Files: iati-activities.xml (IATI 2.03), 360giving-grants.json (360Giving),
 * register-by-region-<year>.csv. The caller is an analyst (OPEN_DATA_TOKEN or
 * --token); in development a short-lived analyst token is signed with the
 * development secret when none is given. Publisher settings: OPEN_DATA_PUBLISHER_REF,
 * OPEN_DATA_PUBLISHER_NAME, OPEN_DATA_PUBLISHER_TYPE, OPEN_DATA_360G_PREFIX, OPEN_DATA_LICENSE.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../gateway/identity.ts';
import { DATASETS, exportDataset, httpSource, OpenDataError, publisherFromEnv } from '../gateway/open-data/datasets.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'exports' },
    gateway: { type: 'string' },
    token: { type: 'string' },
    year: { type: 'string' },
    only: { type: 'string' },
  },
});

const gatewayUrl = values.gateway ?? process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
const year = values.year ? Number(values.year) : new Date().getUTCFullYear();
if (!Number.isInteger(year) || year < 2000 || year > 2100) {
  console.error('--year must be a whole number between 2000 and 2100');
  process.exit(2);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : DATASETS.map((d) => d.name);
const unknown = only.filter((name) => !DATASETS.some((d) => d.name === name));
if (unknown.length) {
  console.error(`unknown dataset ${unknown.join(', ')} (known: ${DATASETS.map((d) => d.name).join(', ')})`);
  process.exit(2);
}

async function analystToken(): Promise<string> {
  const given = values.token ?? process.env.OPEN_DATA_TOKEN;
  if (given) return given;
  if (process.env.NODE_ENV === 'production') throw new Error('set OPEN_DATA_TOKEN (an analyst token) or pass --token');
  return new SignJWT({ roles: ['analyst'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('service:open-data-export')
    .setIssuer(process.env.JWT_ISSUER ?? DEV_ISSUER)
    .setAudience(process.env.JWT_AUDIENCE ?? DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(process.env.JWT_SECRET ?? DEV_JWT_SECRET));
}

const source = httpSource({ url: gatewayUrl, token: await analystToken() });
const publisher = publisherFromEnv();
mkdirSync(values.out!, { recursive: true });
try {
  for (const dataset of DATASETS.filter((d) => only.includes(d.name))) {
    const body = await exportDataset(dataset.name, source, publisher, { year });
    const file = join(
      values.out!,
      ['register', 'roadmap', 'donations'].includes(dataset.name) ? dataset.file.replace('.csv', `-${year}.csv`) : dataset.file,
    );
    writeFileSync(file, body);
    console.log(`Wrote ${file} (${dataset.standard}, ${Buffer.byteLength(body)} bytes).`);
  }
} catch (error) {
  if (error instanceof OpenDataError || (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') {
    console.error(
      `Export failed against ${gatewayUrl}: ${(error as Error).message}${(error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' ? ' (is the gateway running? npm start)' : ''}`,
    );
    process.exit(1);
  }
  throw error;
}
