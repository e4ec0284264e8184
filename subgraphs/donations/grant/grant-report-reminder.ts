import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { readEntitiesForWrite, today, type Job } from '../../kit/index.ts';
import type { DonationsDB } from '../migrations/tables.ts';

interface OverdueReport {
  reportId: string;
  kind: string;
  dueOn: string;
  grantTitle: string;
  recipientId: string;
}

/** Reports still DUE after their due day (Kazakhstan's calendar) that were never reminded, oldest first. */
export async function findOverdueUnreminded(db: Kysely<DonationsDB>, day: string, limit: number): Promise<OverdueReport[]> {
  const rows = await db
    .selectFrom('grant_reports as r')
    .innerJoin('grants as g', 'g.id', 'r.grant_id')
    .leftJoin('grant_report_reminders as m', 'm.report_id', 'r.id')
    .select(['r.id as reportId', 'r.kind', 'r.due_on as dueOn', 'g.title as grantTitle', 'g.recipient_id as recipientId'])
    .where('r.status', '=', 'DUE')
    .where('r.due_on', '<', day)
    .where('m.report_id', 'is', null)
    .orderBy('r.due_on')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows;
}

/** Claims a report's reminder; false when it was reminded already (by another run or replica). */
export async function claimReminder(db: Kysely<DonationsDB>, reportId: string, email: string | null): Promise<boolean> {
  const row = await db
    .insertInto('grant_report_reminders')
    .values({ report_id: reportId, email })
    .onConflict((oc) => oc.column('report_id').doNothing())
    .returning('report_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The reminder of overdue grant reports: each report still DUE after its due
 * day gets one e-mail to the grantee organization's contact address (read from
 * organizations under the donations service identity). The reminder row and
 * the e-mail share a transaction: a failed send is retried on the next run; a
 * report is never reminded twice. Without a contact address the reminder is
 * recorded (and logged) with no e-mail.
 */
export const grantReportReminderJob: Job<DonationsDB> = {
  name: 'grant-report-reminders',
  async run({ db, mailer, now, log }) {
    const overdue = await findOverdueUnreminded(db, today(now()), 100);
    if (overdue.length === 0) return 0;
    const recipients = [...new Set(overdue.map((r) => r.recipientId))];
    const facts = await readEntitiesForWrite<{ id: string; name: string; contact: { email: string | null } | null }>(
      { requestId: `job:grant-report-reminders:${randomUUID()}` },
      {
        owner: 'organizations',
        asking: 'donations',
        typename: 'Organization',
        representations: recipients.map((id) => ({ id })),
        selection: 'id name contact { email }',
      },
    );
    const byId = new Map(recipients.map((id, i) => [id, facts[i] ?? null]));
    let reminded = 0;
    for (const report of overdue) {
      const organization = byId.get(report.recipientId);
      const email = organization?.contact?.email ?? null;
      const claimed = await db.transaction().execute(async (trx) => {
        if (!(await claimReminder(trx, report.reportId, email))) return false;
        if (!email) {
          log.warn(
            { reportId: report.reportId, organizationId: report.recipientId },
            'overdue grant report: the grantee has no contact e-mail; reminder recorded without one',
          );
          return true;
        }
        await mailer.send({
          to: email,
          subject: `Volunteer Graph: the ${report.kind.toLowerCase()} report of "${report.grantTitle}" is overdue`,
          text: `The ${report.kind.toLowerCase()} report of the grant "${report.grantTitle}" to ${organization?.name ?? 'your organization'} was due on ${report.dueOn} and has not been submitted.\n\nSubmit it with submitGrantReport (reportId ${report.reportId}).\n`,
        });
        return true;
      });
      if (claimed) reminded += 1;
    }
    return reminded;
  },
};
