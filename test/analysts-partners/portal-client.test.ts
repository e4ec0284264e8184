import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClientError } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalClient } from '../../examples/portal-client/client.ts';
import { developmentToken, formatBook } from '../../examples/portal-client/main.ts';
import { startGraph, type Graph } from '../harness.ts';
import { approvedMinutes, ASTANA, day, registerOrganization, registerVolunteer, type ArrangedVolunteer } from './arrange.ts';

/**
 * The typed portal client of examples/portal-client, as a portal team would
 * use it, against the real gateway: sign in, read the book, log hours.
 */
const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

let graph: Graph;
let organization: { id: string; name: string };
let volunteer: ArrangedVolunteer;

beforeAll(async () => {
  graph = await startGraph();
  organization = await registerOrganization(graph, 'Portal Test Volunteers', ASTANA);
  volunteer = await registerVolunteer(graph, ASTANA);
  await approvedMinutes(graph, volunteer.id, organization.id, 600); // 10 h approved, in two records
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

describe('the typed portal client (graphql-request + codegen types)', () => {
  it('signs in with a development token, shows the book and logs hours, which wait for approval', async () => {
    const portal = createPortalClient({ url: graph.gatewayUrl, token: await developmentToken(volunteer.id) });
    const page = await portal.myPage();
    expect(page).toMatchObject({
      id: volunteer.id,
      firstName: volunteer.firstName,
      lastName: volunteer.lastName,
      region: { code: ASTANA },
      memberships: [{ organization: { id: organization.id, name: organization.name } }],
      book: { approvedHours: 10, approvedRecords: 2 },
    });
    expect(page!.book!.byDirection).toEqual([{ direction: 'BILIM', hours: 10 }]);

    const logged = await portal.logHours({
      organizationId: organization.id,
      date: day(0),
      minutes: 90,
      regionCode: ASTANA,
      activityType: 'EVENT_SUPPORT',
      direction: 'QAMQOR',
    });
    expect(logged).toMatchObject({
      date: day(0),
      minutes: 90,
      hours: 1.5,
      status: 'PENDING',
      source: 'SELF',
      organization: { id: organization.id },
    });

    const after = await portal.myPage();
    expect(after!.hourRecords!.nodes).toContainEqual(expect.objectContaining({ id: logged.id, status: 'PENDING', minutes: 90 }));
    expect(after!.book!.approvedHours).toBe(10); // pending work does not count until a coordinator approves it
    expect(formatBook(after!)).toContain('Approved: 10 h in 2 records');
  });

  it("is refused with a token that is not the gateway's, and cannot log hours for someone else", async () => {
    const forged = createPortalClient({
      url: graph.gatewayUrl,
      token: await developmentToken(volunteer.id, 'not-the-secret-of-this-gateway-0123456789'),
    });
    const refusal = await forged.myPage().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ClientError);
    expect((refusal as ClientError).response.status).toBe(401);
    expect((refusal as ClientError).response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const other = await registerVolunteer(graph, ASTANA);
    const portal = createPortalClient({ url: graph.gatewayUrl, token: await developmentToken(other.id) });
    const logHours = portal.logHours as (input: Record<string, unknown>) => Promise<unknown>;
    const foreign = await logHours({
      volunteerId: volunteer.id,
      organizationId: organization.id,
      date: day(0),
      minutes: 30,
      regionCode: ASTANA,
      activityType: 'OTHER',
      direction: 'QAMQOR',
    }).catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(ClientError);
    expect((foreign as ClientError).response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('runs as a command against the gateway', async () => {
    const { stdout } = await run(tsx, [
      'examples/portal-client/main.ts',
      '--volunteer',
      volunteer.id,
      '--gateway',
      graph.gatewayUrl,
      '--minutes',
      '45',
    ]);
    expect(stdout).toContain(`${volunteer.firstName} ${volunteer.lastName}`);
    expect(stdout).toContain(`Logged 0.75 h for ${organization.name}`);
    expect(stdout).toContain('PENDING');
  }, 60_000);

  it('has its generated types up to date with its operations and the schema', async () => {
    const { stdout } = await run(tsx, ['examples/portal-client/codegen.ts', '--check']);
    expect(stdout).toContain('is up to date');
  }, 60_000);
});
