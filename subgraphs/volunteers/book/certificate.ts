import { today } from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import type { Volunteer } from '../volunteer/volunteer.repository.ts';
import { toHours } from '../totals/approved-hours.ts';
import type { VolunteerBook } from './book.ts';

/** Every piece of text that goes into the HTML passes through here. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const DIRECTION_LABELS: Record<string, string> = {
  BILIM: 'Bilim (education)',
  QAMQOR: 'Qamqor (care)',
  UMIT: 'Úmit (hope, social support)',
  SABAQTASTYQ: 'Sabaqtastyq (continuity of generations)',
  TAZA_ALEM: 'Taza Álem (environment)',
  SAULYQ: 'Saúlyq (health)',
};

const hours = (minutes: number): string => toHours(minutes).toFixed(2);

function table(caption: string, headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<caption>${escapeHtml(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Names of organizations and opportunities, read through the organizations subgraph; null when it does not answer. */
async function names(
  load: { loadMany(ids: readonly string[]): Promise<(string | null | Error)[]> },
  ids: string[],
): Promise<Map<string, string | null>> {
  const results = await load.loadMany(ids);
  return new Map(
    ids.map((id, i) => {
      const r = results[i];
      return [id, typeof r === 'string' ? r : null];
    }),
  );
}

/**
 * A printable certificate (A4, print styles) from the volunteer book. Names of
 * organizations and opportunities come from their owner; when it is down the
 * certificate still prints, with ids in their place.
 */
export async function renderCertificate(context: VolunteersContext, volunteer: Volunteer, book: VolunteerBook): Promise<string> {
  const organizationIds = [
    ...new Set([...book.byOrganization.map((o) => o.organizationId), ...book.opportunitiesDone.map((o) => o.organizationId)]),
  ];
  const opportunityIds = book.opportunitiesDone.map((o) => o.opportunityId);
  const [organizationNames, opportunityTitles] = await Promise.all([
    names(context.loaders.organizationName, organizationIds),
    names(context.loaders.opportunityTitle, opportunityIds),
  ]);
  const orgName = (id: string) => organizationNames.get(id) ?? `Organization ${id}`;
  const fullName = [volunteer.lastName, volunteer.firstName, volunteer.patronymic].filter(Boolean).join(' ');
  const issuedOn = today();
  const sections = [
    table(
      'Approved hours by year',
      ['Year', 'Hours'],
      book.byYear.map((y) => [String(y.year), hours(y.minutes)]),
    ),
    table(
      'Approved hours by direction',
      ['Direction', 'Hours'],
      book.byDirection.map((d) => [DIRECTION_LABELS[d.direction] ?? d.direction, hours(d.minutes)]),
    ),
    table(
      'Approved hours by organization',
      ['Organization', 'Hours'],
      book.byOrganization.map((o) => [orgName(o.organizationId), hours(o.minutes)]),
    ),
    table(
      'Opportunities done',
      ['Opportunity', 'Organization', 'From', 'To', 'Hours'],
      book.opportunitiesDone.map((o) => [
        opportunityTitles.get(o.opportunityId) ?? `Opportunity ${o.opportunityId}`,
        orgName(o.organizationId),
        o.firstDate,
        o.lastDate,
        hours(o.minutes),
      ]),
    ),
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Certificate of volunteer work: ${escapeHtml(fullName)}</title>
<style>
@page { size: A4; margin: 20mm; }
body { font-family: Georgia, 'Times New Roman', serif; color: #111; max-width: 170mm; margin: 0 auto; }
header { text-align: center; border-bottom: 2px solid #0b5394; padding-bottom: 8mm; margin-bottom: 8mm; }
h1 { font-size: 24pt; margin: 0 0 4mm; }
.total { font-size: 16pt; }
table { width: 100%; border-collapse: collapse; margin: 6mm 0; page-break-inside: avoid; }
caption { text-align: left; font-weight: bold; margin-bottom: 2mm; }
th, td { border-bottom: 1px solid #999; padding: 1.5mm 2mm; text-align: left; }
td:last-child, th:last-child { text-align: right; }
footer { margin-top: 12mm; font-size: 9pt; color: #444; }
</style>
</head>
<body>
<header>
<p>National register of volunteers · Republic of Kazakhstan</p>
<h1>Certificate of volunteer work</h1>
</header>
<main>
<p>This certifies that <strong>${escapeHtml(fullName)}</strong>, born ${escapeHtml(volunteer.birthDate)}, has done</p>
<p class="total"><strong>${escapeHtml(hours(book.approvedMinutes))} hours</strong> of volunteer work approved by the organizations it was done for (${escapeHtml(book.approvedRecords)} records).</p>
${sections.join('\n')}
</main>
<footer>
<p>Issued on ${escapeHtml(issuedOn)}. Certificate of volunteer ${escapeHtml(volunteer.id)}: only approved hours are counted; missions and trainings are certified by their own registers.</p>
</footer>
</body>
</html>
`;
}
