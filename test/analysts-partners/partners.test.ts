import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileApiKeyStore, generateApiKey } from '../../gateway/api-keys.ts';
import { useContracts, type ContractsPlugin } from '../../gateway/contracts/index.ts';
import { apolloSource, openDataRoutes } from '../../gateway/open-data/index.ts';
import type { RunningGateway } from '../../gateway/server.ts';
import { startGraph, type Graph } from '../harness.ts';
import {
  addParticipant,
  ALMATY,
  approvedMinutes,
  ASTANA,
  awardGrant,
  day,
  donate,
  fundMission,
  planMission,
  registerOrganization,
  registerPartner,
  registerVolunteer,
  signAgreement,
  tokens,
  type ArrangedVolunteer,
} from './arrange.ts';
import { childNamed, childrenNamed, narrativeOf, parseXml, type XmlElement } from './xml.ts';

/**
 * Partner agencies and the public build on contracts of the schema; the open
 * data goes out in the standards its readers use. Arranged through the API,
 * checked through a gateway with the contracts plugin and the open-data routes.
 */
const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

let graph: Graph;
let origin: string;
let contracts: ContractsPlugin;
let publicContractGateway: RunningGateway;
let apiKey: string;
const world = {} as {
  organization: { id: string; name: string; bin: string };
  partner: { id: string; name: string };
  agreementId: string;
  missionId: string;
  grant: { id: string; title: string };
  volunteer: ArrangedVolunteer;
};

beforeAll(async () => {
  const keysFile = join(mkdtempSync(join(tmpdir(), 'vg-keys-')), 'api-keys.json');
  // The real gateway with the contracts plugin and the open-data routes (GatewayOptions.plugins and .routes).
  contracts = useContracts();
  graph = await startGraph({
    gateway: {
      apiKeys: { file: keysFile, pollMs: 100 },
      // This file's own contracts plugin, so that it can look at the contracts it cut.
      contracts: false,
      plugins: [contracts],
      routes: ({ apollo, log }) => openDataRoutes({ source: apolloSource(apollo, log), cacheSeconds: 0 }),
    },
  });
  origin = new URL(graph.gatewayUrl).origin;

  world.organization = await registerOrganization(graph, 'Kenya Exchange Volunteers', ASTANA);
  await registerOrganization(graph, 'Almaty Helpers', ALMATY);
  world.partner = await registerPartner(graph);
  world.volunteer = await registerVolunteer(graph, ASTANA);
  await approvedMinutes(graph, world.volunteer.id, world.organization.id, 2400);
  world.agreementId = await signAgreement(graph, world.partner.id, world.organization.id);
  world.missionId = await planMission(graph, world.organization.id, world.partner.id, world.agreementId);
  await addParticipant(graph, world.missionId, world.volunteer.id);
  world.grant = await awardGrant(graph, world.organization.id, world.partner.id);
  await fundMission(graph, world.missionId, world.grant.id);
  await donate(graph, world.organization.id, '250000.00');

  const { key, record } = generateApiKey({ partnerId: world.partner.id, scopes: ['partner'], tier: 'partner', label: 'UNV test' });
  await new FileApiKeyStore(keysFile, undefined, 100, false).save(record);
  apiKey = key;
  // The gateway re-reads the key file on change.
  for (let tries = 0; (await graph.query('{ __typename }', { headers: { 'x-api-key': apiKey } })).status !== 200; tries++) {
    if (tries > 50) throw new Error('the gateway did not pick up the API key');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  publicContractGateway = await graph.startGateway({
    apiKeys: { file: keysFile },
    contracts: { byCallerKind: { partner: 'partner', public: 'public' } },
  });
}, 240_000);
afterAll(async () => {
  await graph?.close();
});

const asPartner = (document: string, variables?: Record<string, unknown>) =>
  graph.query(document, { headers: { 'x-api-key': apiKey }, ...(variables ? { variables } : {}) });
const asAnalyst = (document: string) => graph.query(document, { token: tokens(graph).analyst });

describe('the partner contract at the gateway', () => {
  it('serves a partner key the fields of its contract', async () => {
    const { status, body } = await asPartner(
      `{ exchangeMissions(first: 10) { nodes { id title hostCountry hostPartner { name } participantCount } } }`,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.exchangeMissions.nodes).toContainEqual(
      expect.objectContaining({ id: world.missionId, hostCountry: 'KE', hostPartner: { name: world.partner.name }, participantCount: 1 }),
    );
  });

  it('answers a field outside the contract as a validation error, before any subgraph is called', async () => {
    const outside = [
      `{ exchangeMissions(first: 10) { nodes { id participants { volunteer { id firstName } } } } }`,
      `{ volunteers(first: 5) { nodes { id } } }`,
      `query ($id: ID!) { volunteer(id: $id) { id iin } }`,
    ];
    for (const document of outside) {
      graph.resetSubgraphCalls();
      const { status, body } = await asPartner(document, { id: world.volunteer.id });
      expect(status, document).toBe(400);
      expect(body.data, document).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code, document).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors?.[0]?.extensions?.contract).toBe('partner');
      expect(graph.subgraphCalls(), document).toBe(0);
    }
    const { body } = await asPartner(outside[0]!);
    expect(body.errors![0]!.message).toContain('Cannot query field "firstName" on type "Volunteer"');

    // A partner with a JWT is held to the same contract; an analyst is not.
    const partnerJwt = await graph.query(outside[1]!, { token: tokens(graph).partner(world.partner.id) });
    expect(partnerJwt.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const analyst = await asAnalyst(outside[0]!);
    expect(analyst.body.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('GRAPHQL_VALIDATION_FAILED');
    expect(analyst.body.data!.exchangeMissions.nodes).toContainEqual(expect.objectContaining({ id: world.missionId }));
  });

  it('names nothing outside the contract in a validation error, not even as a suggestion', async () => {
    // Misspelt fields whose near neighbours exist only outside the contract.
    for (const [document, outside] of [
      [`query ($id: ID!) { volunteer(id: $id) { id firstNam } }`, 'firstName'],
      [`{ volunteer { id } }`, 'volunteers'],
    ] as const) {
      const { status, body } = await asPartner(document, { id: world.volunteer.id });
      expect(status, document).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', contract: 'partner' });
      expect(JSON.stringify(body.errors), document).not.toContain(`"${outside}"`);
    }
    // An analyst, served the whole API schema, still gets the suggestion.
    const analyst = await asAnalyst(`{ volunteer(id: "${world.volunteer.id}") { id firstNam } }`);
    expect(JSON.stringify(analyst.body.errors)).toContain('firstName');
  });

  it('shows a partner only the contract by introspection', async () => {
    const document = `{
      __schema { types { name } queryType { fields { name } } }
      volunteer: __type(name: "Volunteer") { fields { name } }
      hourRecord: __type(name: "HourRecord") { name }
    }`;
    const partner = await asPartner(document);
    expect(partner.body.errors).toBeUndefined();
    const typeNames = new Set<string>(partner.body.data!.__schema.types.map((t: { name: string }) => t.name));
    const contractTypes = new Set(
      [...readFileSync('schema/contracts/partner.graphql', 'utf8').matchAll(/^(?:type|input|enum|scalar|interface|union) (\w+)/gm)].map(
        (m) => m[1]!,
      ),
    );
    const served = [...typeNames].filter((n) => !n.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(n));
    expect(new Set(served)).toEqual(contractTypes);
    expect(typeNames.has('HourRecord')).toBe(false);
    const queryFields = partner.body.data!.__schema.queryType.fields.map((f: { name: string }) => f.name);
    expect(queryFields).toContain('exchangeMissions');
    expect(queryFields).not.toContain('volunteers');
    expect(queryFields).not.toContain('me');
    const volunteerFields = partner.body.data!.volunteer.fields.map((f: { name: string }) => f.name);
    expect(volunteerFields).toContain('ageBand');
    for (const personal of ['iin', 'firstName', 'lastName', 'phone', 'email', 'birthDate']) expect(volunteerFields).not.toContain(personal);
    expect(partner.body.data!.hourRecord).toBeNull();

    const analyst = await asAnalyst(document);
    expect(analyst.body.data!.hourRecord).toEqual({ name: 'HourRecord' });
    expect(analyst.body.data!.volunteer.fields.map((f: { name: string }) => f.name)).toContain('firstName');
  });

  it('answers introspection from the contract in a query that also reads data', async () => {
    const { body } = await asPartner(`{ schema: __type(name: "Query") { fields { name } } exchangeMissions(first: 1) { nodes { id } } }`);
    expect(body.errors).toBeUndefined();
    const fields = body.data!.schema.fields.map((f: { name: string }) => f.name);
    expect(fields).not.toContain('volunteers');
    expect(body.data!.exchangeMissions.nodes).toHaveLength(1);
  });

  it('serves the same contract as schema/contracts/partner.graphql', () => {
    expect(contracts.contracts().get('partner')!.sdl).toBe(readFileSync('schema/contracts/partner.graphql', 'utf8'));
    expect(contracts.contracts().get('public')!.sdl).toBe(readFileSync('schema/contracts/public.graphql', 'utf8'));
  });

  it('can hold anonymous callers to the public contract', async () => {
    const outside = `{ volunteers(first: 1) { nodes { id } } }`;
    const held = await graph.queryAt(publicContractGateway.url, outside);
    expect(held.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', contract: 'public' });
    const open = await graph.queryAt(publicContractGateway.url, `{ regions { code organizationCount } }`);
    expect(open.body.errors).toBeUndefined();
    expect(open.body.data!.regions.find((r: { code: string }) => r.code === ASTANA).organizationCount).toBe(1);
    // Without that setting the public gets the whole API schema (and the subgraphs' own refusals).
    const unheld = await graph.query(outside);
    expect(unheld.body.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('schema-change checks (npm run schema:check) on a copy of the schema', () => {
  let dir: string;
  // The releases the checks start from: whatever schema/releases holds now.
  const releasedVersion = (contract: string) =>
    Number(/^# version: (\d+)$/m.exec(readFileSync(join('schema', 'releases', `${contract}.graphql`), 'utf8'))![1]);
  const partner = releasedVersion('partner');
  const publicVersion = releasedVersion('public');
  const check = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(
        tsx,
        [
          'scripts/schema-check.ts',
          '--supergraph',
          join(dir, 'supergraph.graphql'),
          '--releases',
          join(dir, 'releases'),
          '--operations',
          join(dir, 'operations'),
          ...args,
        ],
        {
          env: { ...process.env, SCHEMA_CHECK_BASE: '' },
        },
      );
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vg-schema-'));
    cpSync('schema/supergraph.graphql', join(dir, 'supergraph.graphql'));
    cpSync('schema/releases', join(dir, 'releases'), { recursive: true });
    mkdirSync(join(dir, 'operations'));
    writeFileSync(
      join(dir, 'operations', 'partner-missions.graphql'),
      `# A partner's missions.\n# contract: partner\nquery PartnerMissions { exchangeMissions(first: 5) { nodes { id title hostCountryName } } }\n`,
    );
  });

  it('passes on the released schemas, with the operations valid against their contract', async () => {
    const { code, output } = await check();
    expect(output).toContain(`partner since its release ${partner}`);
    expect(output).toContain('1 operation of');
    expect(code).toBe(0);
  }, 120_000);

  it('catches a breaking change to a contract, and lets it through once released with a note', async () => {
    const supergraph = join(dir, 'supergraph.graphql');
    const text = readFileSync(supergraph, 'utf8');
    // A subgraph drops a field partners use: ExchangeMission.hostCountryName.
    const broken = text.replace(/^  hostCountryName: String!.*\n/m, '');
    expect(broken).not.toBe(text);
    writeFileSync(supergraph, broken);
    writeFileSync(
      join(dir, 'operations', 'partner-missions.graphql'),
      `# contract: partner\nquery PartnerMissions { exchangeMissions(first: 5) { nodes { id title } } }\n`,
    );

    const refused = await check();
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/\[breaking\] Field 'hostCountryName' was removed from object type 'ExchangeMission'/);
    expect(refused.output).toContain('breaking change to the partner contract');

    const released = await check(
      '--release',
      'partner,api',
      '--note',
      'ExchangeMission.hostCountryName is gone: use hostCountry (ISO 3166-1).',
      '--date',
      '2026-12-01',
    );
    expect(released.code).toBe(0);
    const notes = readFileSync(join(dir, 'releases', 'RELEASES.md'), 'utf8');
    expect(notes).toContain(`## partner ${partner + 1} (2026-12-01)`);
    expect(notes).toContain("- [breaking] Field 'hostCountryName' was removed from object type 'ExchangeMission'");
    expect(readFileSync(join(dir, 'releases', 'partner.graphql'), 'utf8')).toContain(`# version: ${partner + 1}`);

    const after = await check();
    expect(after.output).toContain(`partner since its release ${partner + 1} (2026-12-01): no changes.`);
    expect(after.code).toBe(0);
  }, 180_000);

  it('refuses an operation that leaves its contract, and a release without a note', async () => {
    writeFileSync(
      join(dir, 'operations', 'partner-participants.graphql'),
      `# contract: partner\nquery Participants { exchangeMissions(first: 5) { nodes { participants { volunteer { firstName } } } } }\n`,
    );
    const notes = join(dir, 'releases', 'RELEASES.md');
    writeFileSync(notes, readFileSync(notes, 'utf8').replace(new RegExp(`## public ${publicVersion} [^#]*`), ''));
    const { code, output } = await check();
    expect(code).toBe(1);
    expect(output).toContain(
      'partner-participants.graphql Participants is not valid against the partner contract: Cannot query field "firstName" on type "Volunteer"',
    );
    expect(output).toContain(`has no "## public ${publicVersion}" note`);
  }, 120_000);
});

describe('open data, through the gateway', () => {
  const year = new Date().getUTCFullYear();
  const personal = () => [world.volunteer.lastName, world.volunteer.iin, world.volunteer.phone];

  it('lists the datasets', async () => {
    const response = await fetch(`${origin}/open-data`);
    expect(response.status).toBe(200);
    const index = (await response.json()) as { datasets: { name: string; url: string; standard: string }[]; personalData: string };
    expect(index.datasets.map((d) => d.name)).toEqual(['iati', '360giving', 'register', 'roadmap', 'donations']);
    expect(index.personalData).toBe('none');
  });

  it('publishes missions and agreements as IATI 2.03 activities with the required fields', async () => {
    const response = await fetch(`${origin}/open-data/iati-activities.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/xml');
    const xml = await response.text();
    for (const value of personal()) expect(xml).not.toContain(value);

    const root = parseXml(xml);
    expect(root.name).toBe('iati-activities');
    expect(root.attributes.version).toBe('2.03');
    expect(root.attributes['generated-datetime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const activities = childrenNamed(root, 'iati-activity');
    expect(activities.length).toBeGreaterThanOrEqual(2);

    for (const activity of activities) {
      const identifier = childNamed(activity, 'iati-identifier')!.text;
      const reporting = childNamed(activity, 'reporting-org')!;
      expect(identifier.startsWith(`${reporting.attributes.ref}-`), identifier).toBe(true);
      expect(reporting.attributes.type).toMatch(/^\d+$/);
      expect(narrativeOf(reporting)).not.toBe('');
      expect(narrativeOf(childNamed(activity, 'title'))).not.toBe('');
      expect(narrativeOf(childNamed(activity, 'description'))).not.toBe('');
      const orgs = childrenNamed(activity, 'participating-org');
      expect(orgs.length).toBeGreaterThan(0);
      for (const org of orgs) {
        expect(['1', '2', '3', '4']).toContain(org.attributes.role);
        expect(org.attributes.ref || narrativeOf(org)).toBeTruthy();
      }
      expect(['1', '2', '3', '4', '5', '6']).toContain(childNamed(activity, 'activity-status')!.attributes.code);
      const dates = childrenNamed(activity, 'activity-date');
      expect(dates.map((d) => d.attributes.type)).toContain('1');
      for (const date of dates) expect(date.attributes['iso-date']).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(childrenNamed(activity, 'recipient-country').length).toBeGreaterThan(0);
      for (const vocabulary of ['7', '8']) {
        const sectors = childrenNamed(activity, 'sector').filter((s) => s.attributes.vocabulary === vocabulary);
        if (sectors.length) expect(sectors.reduce((sum, s) => sum + Number(s.attributes.percentage), 0)).toBeCloseTo(100, 5);
      }
      const countries = childrenNamed(activity, 'recipient-country');
      expect(countries.reduce((sum, c) => sum + Number(c.attributes.percentage), 0)).toBeCloseTo(100, 5);
      // Elements in the order of the 2.03 schema's sequence.
      const order = [
        'iati-identifier',
        'reporting-org',
        'title',
        'description',
        'participating-org',
        'activity-status',
        'activity-date',
        'activity-scope',
        'recipient-country',
        'sector',
        'related-activity',
      ];
      const positions = activity.children.map((c) => order.indexOf(c.name));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }

    const mission = activities.find((a) => childNamed(a, 'iati-identifier')!.text.endsWith(`-MISSION-${world.missionId}`)) as XmlElement;
    expect(mission).toBeDefined();
    expect(narrativeOf(childNamed(mission, 'title'))).toMatch(/^Teaching exchange to Kenya/);
    const roles = childrenNamed(mission, 'participating-org').map((o) => [o.attributes.role, o.attributes.ref ?? narrativeOf(o)]);
    expect(roles).toContainEqual(['1', world.partner.name]); // the programme's funder, through the grant that funds the mission
    expect(roles).toContainEqual(['2', `KZ-BIN-${world.organization.bin}`]);
    expect(roles).toContainEqual(['4', `${world.partner.name} (UNV)`]);
    expect(childNamed(mission, 'activity-status')!.attributes.code).toBe('1'); // planned: pipeline
    expect(childrenNamed(mission, 'activity-date').map((d) => [d.attributes.type, d.attributes['iso-date']])).toEqual([
      ['1', day(60)],
      ['3', day(85)],
    ]);
    expect(childrenNamed(mission, 'recipient-country').map((c) => c.attributes)).toEqual([{ code: 'KE', percentage: '100' }]);
    expect(childrenNamed(mission, 'sector').map((s) => [s.attributes.vocabulary, s.attributes.code, s.attributes.percentage])).toEqual([
      ['7', '4', '100'],
      ['8', '4.1', '50'],
      ['8', '4.c', '50'],
    ]);
    expect(childNamed(mission, 'related-activity')!.attributes.ref).toMatch(new RegExp(`-AGREEMENT-${world.agreementId}$`));

    const agreement = activities.find((a) =>
      childNamed(a, 'iati-identifier')!.text.endsWith(`-AGREEMENT-${world.agreementId}`),
    ) as XmlElement;
    expect(childNamed(agreement, 'activity-status')!.attributes.code).toBe('2'); // in force: implementation
    expect(childrenNamed(agreement, 'activity-date').map((d) => d.attributes.type)).toEqual(['1', '2', '3']);
    expect(childrenNamed(agreement, 'participating-org').map((o) => o.attributes.role)).toEqual(['1', '4']);
    expect(childrenNamed(agreement, 'recipient-country').map((c) => [c.attributes.code, c.attributes.percentage])).toEqual([
      ['KE', '50'],
      ['KZ', '50'],
    ]);
  });

  it('publishes grants as 360Giving JSON with the required fields', async () => {
    const response = await fetch(`${origin}/open-data/360giving-grants.json`);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const value of personal()) expect(text).not.toContain(value);
    const file = JSON.parse(text) as { grants: Record<string, any>[] };
    expect(file.grants.length).toBeGreaterThan(0);
    for (const grant of file.grants) {
      expect(grant.id).toMatch(/^360G-[A-Za-z0-9-]+$/);
      for (const field of ['title', 'description', 'currency', 'awardDate']) expect(typeof grant[field], field).toBe('string');
      expect(grant.currency).toMatch(/^[A-Z]{3}$/);
      expect(typeof grant.amountAwarded).toBe('number');
      expect(grant.awardDate).toMatch(/^\d{4}-\d\d-\d\d$/);
      for (const party of ['recipientOrganization', 'fundingOrganization']) {
        expect(grant[party]).toHaveLength(1);
        expect(typeof grant[party][0].id).toBe('string');
        expect(typeof grant[party][0].name).toBe('string');
      }
    }
    const grant = file.grants.find((g) => g.id.endsWith(world.grant.id))!;
    expect(grant).toMatchObject({
      title: world.grant.title,
      currency: 'KZT',
      amountAwarded: 1250000.5,
      awardDate: day(0),
      recipientOrganization: [{ id: `KZ-BIN-${world.organization.bin}`, name: world.organization.name }],
      fundingOrganization: [{ name: world.partner.name }],
      plannedDates: [{ startDate: day(1), endDate: day(365), duration: 12 }],
    });
  });

  it('publishes the register per region as CSV: organizations, volunteers, approved hours, donations', async () => {
    const response = await fetch(`${origin}/open-data/register-by-region.csv?year=${year}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const text = await response.text();
    for (const value of personal()) expect(text).not.toContain(value);
    const [header, ...rows] = text
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(header).toEqual([
      'year',
      'region_code',
      'region_iso',
      'region_name_en',
      'region_name_kk',
      'organizations',
      'volunteers',
      'approved_hours',
      'approved_hour_records',
      'donations_amount',
      'donations_currency',
    ]);
    expect(rows).toHaveLength(20);
    const astana = Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[1] === ASTANA)![i]]));
    expect(astana).toMatchObject({
      year: String(year),
      region_iso: 'KZ-71',
      organizations: '1',
      volunteers: '1',
      approved_hours: '40',
      approved_hour_records: '5',
      donations_amount: '250000.00',
      donations_currency: 'KZT',
    });

    const bad = await fetch(`${origin}/open-data/register-by-region.csv?year=nineteen`);
    expect(bad.status).toBe(400);
  });

  it('writes the same files from npm run export, through the gateway over HTTP with an analyst token', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vg-export-'));
    const { stdout } = await run(tsx, ['scripts/export.ts', '--gateway', graph.gatewayUrl, '--out', out, '--year', String(year)]);
    expect(stdout).toContain('iati-activities.xml');
    const grants = JSON.parse(readFileSync(join(out, '360giving-grants.json'), 'utf8'));
    const served = await (await fetch(`${origin}/open-data/360giving-grants.json`)).json();
    expect(grants).toEqual(served);
    expect(readFileSync(join(out, `register-by-region-${year}.csv`), 'utf8')).toBe(
      await (await fetch(`${origin}/open-data/register-by-region.csv?year=${year}`)).text(),
    );
    const xml = readFileSync(join(out, 'iati-activities.xml'), 'utf8');
    expect(childrenNamed(parseXml(xml), 'iati-activity').length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
