import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBin } from '../../subgraphs/kit/index.ts';
import { loadExamples } from '../../gateway/explorer/index.ts';
import { startGraph, type Graph } from '../harness.ts';
import { launchChromium, offlinePage as offlinePageOf, setEditor } from './browser.ts';

/**
 * The analyst's explorer in a real (headless) browser, with every request that
 * does not go to this machine blocked: it must work offline.
 */
let graph: Graph;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  // The real gateway with the explorer's routes mounted (GatewayOptions.routes).
  graph = await startGraph();
  origin = new URL(graph.gatewayUrl).origin;
  browser = await launchChromium();
}, 180_000);
const offlinePage = () => offlinePageOf(browser);

afterAll(async () => {
  await browser?.close();
  await graph?.close();
});

describe('the explorer (GraphiQL, served by the gateway, offline)', () => {
  it('opens with the example operations as tabs, the docs explorer and headers, and runs a query with a token from the headers editor', async () => {
    const astana = '710000000';
    const { body } = await graph.query(`mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`, {
      variables: {
        input: {
          bin: makeBin(424_242),
          name: 'Explorer Test Foundation',
          kind: 'VOLUNTEER_ORGANIZATION',
          regionCode: astana,
          directions: ['BILIM'],
        },
      },
      token: graph.token({ role: 'front_office', region: astana }),
    });
    expect(body.errors).toBeUndefined();

    const { page, blocked, errors } = await offlinePage();
    await page.goto(`${origin}/explorer`);
    await page.locator('.graphiql-container').waitFor();

    // The operations of schema/operations, one tab each: analyst, partner and portal.
    const tabs = page.locator('.graphiql-tab');
    await expect.poll(async () => (await tabs.allInnerTexts()).join(' ')).toContain('RegionDashboard');
    const tabNames = (await tabs.allInnerTexts()).join(' ');
    expect(tabNames).toContain('PartnerMissionsAndGrants');
    expect(tabNames).toContain('VolunteerPage');

    // The docs explorer reads the schema by introspection (through the gateway).
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText(), { timeout: 15_000 }).toContain('Query');
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText()).toContain('exchangeMissions');

    // An analyst's token in the headers editor; run the region dashboard.
    await page.locator('.graphiql-tab').filter({ hasText: 'RegionDashboard' }).click();
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    const analyst = graph.token({ role: 'analyst', sub: 'explorer-analyst' });
    await setEditor(
      page,
      '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror',
      JSON.stringify({ authorization: `Bearer ${analyst}` }, null, 2),
    );
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"organizationCount": 1');
    const text = await result.innerText();
    expect(text).toContain('"code": "710000000"');
    expect(text).toContain('"nameEn"');
    expect(text).not.toContain('"errors"');
    await page.screenshot({ path: 'test/artifacts/explorer.png' });

    // The examples picker opens an operation's tab.
    await page.getByRole('button', { name: 'Show Examples' }).click();
    await page.locator('button.vg-example[data-example="OpenOpportunities"]').click();
    await expect.poll(() => page.locator('.graphiql-tab-active').innerText()).toContain('OpenOpportunities');

    await page.screenshot({ path: 'test/artifacts/explorer-examples.png' });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('shows what the gateway answers without a credential: the same query is refused for the public', async () => {
    const { page, blocked } = await offlinePage();
    await page.goto(`${origin}/explorer`);
    await page.locator('.graphiql-tab').filter({ hasText: 'VolunteerPage' }).click();
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText()).toContain('query VolunteerPage');
    // GraphiQL settles the tab's operation name just after the switch.
    await page.waitForTimeout(500);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"me": null');
    expect(blocked).toEqual([]);
    await page.close();
  }, 60_000);

  it('serves its assets from this gateway, under a policy that allows no other origin', async () => {
    const response = await fetch(`${origin}/explorer`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    for (const asset of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css', 'explorer.js']) {
      const served = await fetch(`${origin}/explorer/${asset}`);
      expect(served.status, asset).toBe(200);
    }
  });

  it('falls back to its own examples when the operations folder is empty', () => {
    const empty = mkdtempSync(join(tmpdir(), 'vg-ops-'));
    const examples = loadExamples(empty);
    expect(examples.map((e) => e.name)).toEqual(expect.arrayContaining(['RegionTotals', 'PartnerMissions', 'MyBook', 'Regions']));
    expect(JSON.parse(examples.find((e) => e.name === 'RegionTotals')!.variables)).toEqual({ code: '710000000', year: 2025 });
  });
});
