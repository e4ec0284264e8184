/**
 * The open-data index as a page for people: each dataset with its description,
 * standard, licence, schema (columns, fields or elements) and last build. The
 * index route answers it to browsers; machines keep the JSON index.
 */
import type { IncomingMessage } from 'node:http';
import type { Dataset } from './datasets.ts';
import type { Publisher } from './publisher.ts';
import { REGISTER_COLUMNS } from './register-csv.ts';

/** What a dataset's records hold, field by field. */
export const DATASET_SCHEMAS: Record<string, { unit: string; fields: [name: string, meaning: string][] }> = {
  register: {
    unit: 'one row per region (the 17 regions and 3 cities of republican status) and year',
    fields: [
      ['year', 'calendar year of the figures (`?year=`, default: this year)'],
      ['region_code', 'KATO code of the region'],
      ['region_iso', 'ISO 3166-2 code'],
      ['region_name_en', 'name in English'],
      ['region_name_kk', 'name in Kazakh'],
      ['organizations', 'organizations registered in the region'],
      ['volunteers', 'volunteers registered in the region'],
      ['approved_hours', 'approved hours of volunteer work done in the region in the year'],
      ['approved_hour_records', 'approved hour records behind them'],
      ['donations_amount', 'donations received by the region’s organizations in the year, net of refunds'],
      ['donations_currency', 'always KZT (converted at the official rate of each donation’s day)'],
    ],
  },
  '360giving': {
    unit: 'one grant per entry of `grants`',
    fields: [
      ['id', '360Giving identifier (publisher prefix + grant)'],
      ['title, description', 'the grant'],
      ['currency, amountAwarded, awardDate', 'the award'],
      ['plannedDates[]', 'startDate, endDate, duration in months'],
      ['recipientOrganization[]', 'id (KZ-BIN-… when the recipient has a BIN) and name'],
      ['fundingOrganization[]', 'the funder: an organization or an international partner'],
      ['grantProgramme[]', 'code and title of the programme'],
      ['beneficiaryLocation[]', 'name and country code'],
      ['dataSource', 'where the data comes from'],
    ],
  },
  iati: {
    unit: 'one iati-activity per exchange mission and per cooperation agreement',
    fields: [
      ['iati-identifier', 'the publisher’s reference + the mission or agreement'],
      ['reporting-org', 'the publisher'],
      ['title, description', 'narratives in English'],
      ['participating-org', 'funders, implementers and partners, with their roles'],
      ['activity-status, activity-date', 'status and planned or actual start and end'],
      ['activity-scope, recipient-country', 'where the activity takes place'],
      ['sector', 'SDG goals of a mission'],
      ['related-activity', 'the agreement a mission runs under'],
    ],
  },
};

/**
 * Whether the caller wants the page: a browser (Accept names text/html) that
 * does not ask for JSON. No Accept, `*\/*` or application/json get the JSON index.
 */
export function wantsOpenDataPage(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '').toLowerCase();
  if (!accept.includes('text/html')) return false;
  const json = /application\/json\s*(;\s*q=([\d.]+))?/.exec(accept);
  if (!json) return true;
  const html = /text\/html\s*(;\s*q=([\d.]+))?/.exec(accept)!;
  return Number(html[2] ?? 1) > Number(json[2] ?? 1);
}

/** The page's security: no script at all, its one inline style, nothing from another origin. */
export const OPEN_DATA_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const code = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

export interface OpenDataPageInput {
  publisher: Publisher;
  /** The datasets, each with its download URL. */
  datasets: readonly (Dataset & { url: string })[];
  /** When each dataset's export was last built by this gateway (null: not since it started). */
  lastBuilt: (dataset: Dataset) => Date | null;
  /** Year the register is built for when none is asked. */
  defaultYear: number;
  /** Seconds an export is kept before it is built again. */
  cacheSeconds: number;
}

export function openDataPage(input: OpenDataPageInput): string {
  const { publisher } = input;
  const sections = input.datasets.map((dataset) => {
    const schema = DATASET_SCHEMAS[dataset.name];
    const built = input.lastBuilt(dataset);
    const columns = dataset.name === 'register' ? ` (columns in this order: <code>${REGISTER_COLUMNS.join(',')}</code>)` : '';
    const href = dataset.name === 'register' ? `${dataset.url}?year=${input.defaultYear}` : dataset.url;
    return `<section aria-labelledby="ds-${escape(dataset.name)}" data-dataset="${escape(dataset.name)}">
<h2 id="ds-${escape(dataset.name)}">${escape(dataset.file)}</h2>
<p>${escape(dataset.description)}</p>
<dl>
<dt>Standard</dt><dd>${escape(dataset.standard)} (<code>${escape(dataset.mediaType)}</code>)</dd>
<dt>Licence</dt><dd><a href="${escape(publisher.license)}" rel="license">${escape(publisher.license)}</a></dd>
<dt>Last build</dt><dd data-last-build>${built ? `<time datetime="${built.toISOString()}">${escape(built.toISOString().replace('T', ' ').slice(0, 19))} UTC</time>` : 'not built since the gateway started: built on the first download'}; rebuilt after ${input.cacheSeconds} s</dd>
<dt>Download</dt><dd><a href="${escape(href)}">${escape(href)}</a>${dataset.name === 'register' ? ' (any year: <code>?year=</code>)' : ''}</dd>
</dl>
${
  schema
    ? `<table><caption>Schema: ${code(schema.unit)}${columns}</caption><thead><tr><th scope="col">field</th><th scope="col">meaning</th></tr></thead><tbody>
${schema.fields.map(([name, meaning]) => `<tr><td><code>${escape(name)}</code></td><td>${code(meaning)}</td></tr>`).join('\n')}
</tbody></table>`
    : ''
}
</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open data — ${escape(publisher.name)}</title>
<style>
body { font-family: system-ui, sans-serif; color: #1f2328; background: #fff; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
a { color: #0550ae; } a:focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; }
section { border-top: 1px solid #d0d7de; margin-top: 1.5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
table { border-collapse: collapse; margin-top: 0.5rem; } caption { text-align: left; color: #57606a; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; }
code { font-size: 0.9em; }
</style>
</head>
<body>
<main>
<h1>Open data</h1>
<p>Published by <strong>${escape(publisher.name)}</strong> (<code>${escape(publisher.ref)}</code>) under <a href="${escape(publisher.license)}" rel="license">${escape(publisher.license)}</a>.
No personal data: every file is built from aggregate and public GraphQL queries through the gateway.
Machines: the same index as JSON with <code>Accept: application/json</code>.</p>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
