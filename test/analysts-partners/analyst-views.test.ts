import { DATASETS } from '../../gateway/open-data/datasets.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSubgraphDemo } from '../../subgraphs/servers.ts';
import { SUBGRAPHS } from '../../subgraphs/registry.ts';
import { startGraph, type Graph } from '../harness.ts';
import { editorText, launchChromium, offlinePage, setEditor, type OfflinePage } from './browser.ts';

/**
 * What an analyst sees, in a real (headless) browser against the demo data:
 * the explorer's table, chart and query-plan views, headers shared across
 * tabs, the dashboards page and the open-data page — every request kept on
 * 127.0.0.1. Screenshots go to test/artifacts/.
 */
const YEAR = 2026; // the demo data's year
const ARTIFACTS = 'test/artifacts';
let graph: Graph;
let origin: string;
let browser: Browser;
let analyst: string;

/** The figures of the API itself, to compare what is drawn with. */
let activeByRegion: { region: { code: string; nameEn: string }; ageBand: string; volunteers: number }[];

beforeAll(async () => {
  graph = await startGraph();
  origin = new URL(graph.gatewayUrl).origin;
  for (const { name } of SUBGRAPHS) await seedSubgraphDemo(name, graph.db(name));
  analyst = graph.token({ role: 'analyst', sub: 'views-analyst', expiresIn: 3600 });
  const { body } = await graph.query(
    `query ($year: Int!) { activeVolunteersByRegion(year: $year) { region { code nameEn } ageBand volunteers } }`,
    {
      variables: { year: YEAR },
    },
  );
  activeByRegion = body.data!.activeVolunteersByRegion;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await graph?.close();
});

/** In the page: the contrast ratio (WCAG) of some texts of the dashboards against their background. */
const CONTRAST_RATIOS = `(() => {
  const luminance = (color) => {
    const [r, g, b] = color.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return ['figcaption h2', 'figcaption .hint', '.source a', '.tile-name', '.tile-total', '.numbers summary', '.cell-behind .cell-status', '.cell-on_track .cell-share', '.roadmap-grid th'].map((selector) => {
    const element = document.querySelector(selector);
    let background = 'rgb(255, 255, 255)';
    for (let e = element; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { background = bg; break; }
    }
    const [light, dark] = [luminance(getComputedStyle(element).color), luminance(background)].sort((a, b) => b - a);
    return { selector, ratio: (light + 0.05) / (dark + 0.05) };
  });
})()`;

const headersEditor = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';

/** The explorer on the tab of one operation, run with the analyst's token. */
async function runInExplorer(page: Page, operation: string, answered: string): Promise<void> {
  await page.goto(`${origin}/explorer?operation=${operation}`);
  await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), { timeout: 20_000 }).toContain(operation);
  await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
  if (!(await editorText(page, headersEditor)).includes(analyst))
    await setEditor(page, headersEditor, JSON.stringify({ authorization: `Bearer ${analyst}` }, null, 2));
  await page.waitForTimeout(300); // GraphiQL settles the tab's operation name just after a switch
  await page.locator('.graphiql-execute-button').click();
  await expect.poll(() => page.locator('.result-window').innerText(), { timeout: 20_000 }).toContain(answered);
}

/** Opens a plugin's panel (GraphiQL labels its button "Show …" while closed, "Hide …" while open). */
async function showView(page: Page, title: string): Promise<void> {
  const show = page.getByRole('button', { name: `Show ${title}`, exact: true });
  if (await show.count()) await show.click();
  await page.getByRole('button', { name: `Hide ${title}`, exact: true }).waitFor();
}

/** Drags the plugin panel wider, as an analyst reading a table or chart would (for the screenshots). */
async function widenPanel(page: Page): Promise<void> {
  const bar = (await page.locator('.graphiql-horizontal-drag-bar').first().boundingBox())!;
  await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + 420, bar.y + bar.height / 2, { steps: 5 });
  await page.mouse.up();
}

function expectOffline({ blocked, errors }: OfflinePage): void {
  expect(blocked).toEqual([]);
  expect(errors).toEqual([]);
}

describe('the query plan at the gateway', () => {
  const document = `query Active($year: Int!) { activeVolunteersByRegion(year: $year) { region { nameEn } volunteers } }`;

  it('is given to an analyst who asks (x-query-plan): the fetches, in order, with the subgraph of each', async () => {
    const { body } = await graph.query(document, { variables: { year: YEAR }, token: analyst, headers: { 'x-query-plan': '1' } });
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.queryPlan).toMatchObject({
      kind: 'Sequence',
      nodes: [
        { kind: 'Fetch', service: 'volunteers', variables: ['year'] },
        {
          kind: 'Flatten',
          path: 'activeVolunteersByRegion.@.region',
          nodes: [{ kind: 'Fetch', service: 'organizations', requires: ['Region'] }],
        },
      ],
    });
  });

  it('is not given to other callers, nor to an analyst who does not ask, nor for Apollo’s experimental header', async () => {
    const coordinator = graph.token({ role: 'coordinator', org: '00000000-0000-4000-8000-000000000001' });
    const asks = { 'x-query-plan': '1', 'apollo-query-plan-experimental': '1' };
    for (const options of [{ headers: asks }, { headers: asks, token: coordinator }, { token: analyst }]) {
      const { body } = await graph.query(document, { variables: { year: YEAR }, ...options });
      expect(body.data?.activeVolunteersByRegion).toHaveLength(120);
      expect(body.extensions?.queryPlan).toBeUndefined();
      expect(body.extensions?.__queryPlanExperimental).toBeUndefined();
    }
  });
});

describe('the explorer’s result views (GraphiQL plugins, offline)', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await browser.newContext({ acceptDownloads: true });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('shows any list of the result as a sortable table, downloadable as CSV and JSON', async () => {
    const opened = await offlinePage(context);
    const { page } = opened;
    await runInExplorer(page, 'ActiveVolunteersByRegion', '"activeVolunteersByRegion"');
    await showView(page, 'Table');
    const table = page.locator('.vg-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(120);
    const headers = await table.locator('thead th').allInnerTexts();
    expect(headers.map((h) => h.trim())).toEqual(['region.code', 'region.iso', 'region.nameEn', 'ageBand', 'volunteers']);
    expect(await table.locator('tbody tr').first().locator('td').allInnerTexts()).toEqual([
      '100000000',
      'KZ-10',
      'Abai Region',
      'UNDER_14',
      '0',
    ]);

    // Sorted by volunteers, from the keyboard: the biggest region-and-band first.
    const sortByVolunteers = table.locator('thead th button', { hasText: 'volunteers' });
    await sortByVolunteers.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => table.locator('thead th').nth(4).getAttribute('aria-sort')).toBe('descending');
    const biggest = [...activeByRegion].sort((a, b) => b.volunteers - a.volunteers)[0]!;
    const firstRow = await table.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(firstRow[4]).toBe(String(biggest.volunteers));
    expect(biggest.volunteers).toBeGreaterThan(0);
    await widenPanel(page);
    await page.screenshot({ path: `${ARTIFACTS}/explorer-table.png` });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('activeVolunteersByRegion.csv');
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(121);
    expect(lines[0]).toBe('region.code,region.iso,region.nameEn,ageBand,volunteers');
    expect(lines[1]!.endsWith(`,${biggest.volunteers}`)).toBe(true);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    const rows = JSON.parse(readFileSync((await json.path())!, 'utf8')) as Record<string, unknown>[];
    expect(rows).toHaveLength(120);
    expect(rows.reduce((n, r) => n + Number(r.volunteers), 0)).toBe(activeByRegion.reduce((n, r) => n + r.volunteers, 0));

    // A list inside the items of another carries its parent's fields.
    await runInExplorer(page, 'FrontOfficeCapacity', '"frontOffices"');
    await showView(page, 'Table');
    await page.getByTestId('vg-list').selectOption('frontOffices[].trainings.nodes');
    await expect
      .poll(() => table.locator('thead th').allInnerTexts())
      .toEqual(expect.arrayContaining(['frontOffices.name', 'date', 'topic', 'peopleTrained']));
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    expectOffline(opened);
    await page.close();
  }, 120_000);

  it('draws the numbers of a list as a chart (ECharts, SVG): the regions by age band', async () => {
    const opened = await offlinePage(context);
    const { page } = opened;
    await runInExplorer(page, 'ActiveVolunteersByRegion', '"activeVolunteersByRegion"');
    await showView(page, 'Chart');
    await expect.poll(() => page.getByTestId('vg-chart-label').inputValue()).toBe('region.nameEn');
    await page.getByTestId('vg-chart-by').selectOption('ageBand');
    await page.getByTestId('vg-chart-kind').selectOption('stacked');
    await widenPanel(page);
    const chart = page.locator('.vg-chart');
    // One bar per region and band with volunteers (ECharts draws zero-height bars too; count the visible ones).
    const bands = new Set(activeByRegion.filter((r) => r.volunteers > 0).map((r) => `${r.region.code}|${r.ageBand}`)).size;
    await expect.poll(() => chart.locator('svg path[fill]:not([fill="none"])').count()).toBeGreaterThanOrEqual(bands);
    const labels = await chart.locator('svg text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['Astana', 'Shymkent', 'AGE_18_29']));
    expect(await chart.getAttribute('aria-label')).toBe('Chart of activeVolunteersByRegion: volunteers by ageBand per region.nameEn');
    await page.screenshot({ path: `${ARTIFACTS}/explorer-chart.png` });
    expectOffline(opened);
    await page.close();
  }, 120_000);

  it('shows the query plan the gateway ran: the fetches and the subgraph of each', async () => {
    const opened = await offlinePage(context);
    const { page } = opened;
    await runInExplorer(page, 'ActiveVolunteersByRegion', '"activeVolunteersByRegion"');
    await showView(page, 'Query plan');
    const nodes = page.locator('.vg-plan-node');
    await expect.poll(() => nodes.count()).toBe(4);
    expect(
      await page.locator('.vg-plan-node[data-kind="Fetch"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-service'))),
    ).toEqual(['volunteers', 'organizations']);
    expect(await page.locator('.vg-plan-node[data-kind="Flatten"] code').first().innerText()).toBe('activeVolunteersByRegion.@.region');
    await page.locator('.vg-plan-node[data-kind="Fetch"] summary').first().click();
    expect(await page.locator('.vg-plan-operation').first().innerText()).toContain('activeVolunteersByRegion(year: $year)');
    // The plan is shown in the view, not left in the JSON of the result.
    expect(await page.locator('.result-window').innerText()).not.toContain('queryPlan');
    await page.screenshot({ path: `${ARTIFACTS}/explorer-plan.png` });
    expectOffline(opened);
    await page.close();
  }, 120_000);

  it('shares the headers across tabs and windows, and forgets them on request', async () => {
    const opened = await offlinePage(context);
    const { page } = opened;
    await page.goto(`${origin}/explorer`);
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    // Set by the earlier tests in this browser: a new window has them.
    await expect.poll(() => editorText(page, headersEditor)).toContain(analyst);
    // Another tab of the explorer has them too.
    await page.locator('.graphiql-tab').filter({ hasText: 'CampaignProgress' }).click();
    await expect.poll(() => editorText(page, headersEditor)).toContain(analyst);
    await page.getByRole('button', { name: 'New tab' }).click();
    await expect.poll(() => editorText(page, headersEditor)).toContain(analyst);
    await page.screenshot({ path: `${ARTIFACTS}/explorer-shared-headers.png` });
    // Forget: every tab loses them, and so does a new window.
    await page.getByRole('button', { name: 'Forget headers' }).click();
    await expect.poll(() => editorText(page, headersEditor)).toBe('{}');
    const other = await offlinePage(context);
    await other.page.goto(`${origin}/explorer`);
    await other.page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    await expect.poll(() => editorText(other.page, headersEditor)).toBe('{}');
    expectOffline(opened);
    expectOffline(other);
    await other.page.close();
    await page.close();
  }, 60_000);
});

describe('the dashboards page', () => {
  it('draws every figure from the operations with the analyst’s token, each linking to its operation in the explorer', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const opened = await offlinePage(context);
    const { page } = opened;
    await page.goto(`${origin}/dashboards?year=${YEAR}`);
    // No credential yet: the public figures draw, the analysts' ones say why not.
    await page.locator('main[data-state="drawn"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#missions .error').innerText()).toMatch(/^UNAUTHENTICATED/);
    expect(await page.locator('#active-volunteers').getAttribute('data-state')).toBe('drawn');

    // Signing in from the page (the token joins the explorer's shared headers).
    await page.locator('#token').fill(analyst);
    await page.locator('#token').press('Enter');
    await expect.poll(() => page.locator('figure[data-state="drawn"]').count(), { timeout: 60_000 }).toBe(8);
    expect(await page.locator('figure[data-state="failed"]').count()).toBe(0);

    // Active volunteers: a tile per region with its total.
    const tiles = page.locator('.tile');
    expect(await tiles.count()).toBe(20);
    const astana = activeByRegion.filter((r) => r.region.code === '710000000').reduce((n, r) => n + r.volunteers, 0);
    expect(await page.locator('.tile[data-region="710000000"] .tile-total').innerText()).toBe(String(astana));
    expect(await page.locator('.tile[data-region="710000000"] .band').count()).toBe(
      activeByRegion.filter((r) => r.region.code === '710000000' && r.volunteers > 0).length,
    );
    // Every chart has marks; every figure links to its operation.
    for (const id of ['approved-hours', 'donations', 'campaigns', 'grants', 'front-offices', 'missions']) {
      expect(await page.locator(`#${id} .chart svg path`).count(), id).toBeGreaterThan(3);
    }
    const missionsTable = await page.locator('#missions .numbers tbody tr').count();
    const { body } = await graph.query(`query ($year: Int!) { cooperationTotals(year: $year) { byHostCountry { country } } }`, {
      variables: { year: YEAR },
      token: analyst,
    });
    expect(missionsTable).toBe(body.data!.cooperationTotals.byHostCountry.length);
    expect(missionsTable).toBeGreaterThan(0);
    const anchors = page.locator('figure [data-operation-link]');
    const links = await Promise.all((await anchors.all()).map((a) => a.getAttribute('href')));
    expect(links).toHaveLength(8);
    for (const link of links) expect(link).toMatch(/^\/explorer\?operation=[A-Za-z]+/);

    // The roadmap: a row per region, a cell per indicator, each with the API's target, actual, share and status.
    const { body: roadmap } = await graph.query(
      `query ($year: Int!) { roadmapProgressByRegion(year: $year) { regionCode region { nameEn } progress { indicator { key } target actual share status } } }`,
      { variables: { year: YEAR } },
    );
    const progress = roadmap.data!.roadmapProgressByRegion as {
      regionCode: string;
      region: { nameEn: string };
      progress: { indicator: { key: string }; target: number | null; actual: number; share: number | null; status: string }[];
    }[];
    expect(progress).toHaveLength(20);
    const grid = page.locator('#roadmap .roadmap-grid');
    expect(await grid.locator('tbody tr').count()).toBe(20);
    const indicatorKeys = progress[0]!.progress.map((p) => p.indicator.key);
    expect(indicatorKeys.length).toBeGreaterThanOrEqual(5);
    expect(
      (await grid.locator('thead th[data-indicator]').evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator')))).sort(),
    ).toEqual([...indicatorKeys].sort());
    const cells = await grid.locator('tbody td[data-status]').evaluateAll((els) =>
      els.map((e) => ({
        region: e.parentElement!.getAttribute('data-region'),
        key: e.getAttribute('data-indicator'),
        target: e.getAttribute('data-target'),
        actual: e.getAttribute('data-actual'),
        share: e.getAttribute('data-share'),
        status: e.getAttribute('data-status'),
        text: (e.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
    const expected = progress.flatMap((r) =>
      r.progress.map((p) => ({
        region: r.regionCode,
        key: p.indicator.key,
        target: p.target === null ? '' : String(p.target),
        actual: String(p.actual),
        share: p.share === null ? '' : String(p.share),
        status: p.status,
      })),
    );
    expect(
      cells.map(({ text: _text, ...cell }) => cell).sort((a, b) => `${a.region}${a.key}`.localeCompare(`${b.region}${b.key}`)),
    ).toEqual(expected.sort((a, b) => `${a.region}${a.key}`.localeCompare(`${b.region}${b.key}`)));
    // Some regions are behind (the demo's targets are set near the actuals), and a cell says its status in words.
    expect(expected.some((c) => c.status === 'BEHIND')).toBe(true);
    const behind = cells.find((c) => c.status === 'BEHIND' && c.share !== '')!;
    expect(behind.text).toBe(`${Math.round(100 * Number(behind.share))}%behind`);
    expect(await page.locator('#roadmap [data-operation-link]').getAttribute('href')).toBe(
      `/explorer?operation=RoadmapByRegion&variables=${encodeURIComponent(JSON.stringify({ year: YEAR }))}`,
    );
    await page.screenshot({ path: `${ARTIFACTS}/dashboards.png`, fullPage: true });

    // Readable: body text and links at least 4.5:1 against their background.
    const ratios = (await page.evaluate(CONTRAST_RATIOS)) as { selector: string; ratio: number }[];
    for (const { selector, ratio } of ratios) expect(ratio, selector).toBeGreaterThanOrEqual(4.5);

    // Kept for the next visit; from the keyboard: the skip link first, and a figure's link opens its operation in the explorer.
    await page.reload();
    await expect.poll(() => page.locator('figure[data-state="drawn"]').count(), { timeout: 60_000 }).toBe(8);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Skip to the figures');
    await page.locator('#missions [data-operation-link]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), { timeout: 20_000 }).toContain('MissionsByHostCountry');
    const variables = () =>
      page.$$eval('.graphiql-editor-tool .CodeMirror', (els) =>
        els.map((e) => (e as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue()).join('\n'),
      );
    await expect.poll(variables).toContain(`"year": ${YEAR}`);
    expectOffline(opened);
    await context.close();
  }, 180_000);
});

describe('the open-data index', () => {
  it('is a page for a browser: each dataset with its description, licence, schema and last build', async () => {
    await fetch(`${origin}/open-data/register-by-region.csv?year=${YEAR}`).then((r) => r.text());
    const opened = await offlinePage(browser);
    const { page } = opened;
    const response = await page.goto(`${origin}/open-data`);
    expect(response!.headers()['content-type']).toContain('text/html');
    const sections = page.locator('section[data-dataset]');
    expect(await sections.count()).toBe(DATASETS.length);
    const register = page.locator('section[data-dataset="register"]');
    expect(await register.innerText()).toContain('creativecommons.org/licenses/by/4.0');
    expect(await register.locator('tbody tr').count()).toBe(11);
    expect(await register.locator('[data-last-build] time').count()).toBe(1);
    expect(await page.locator('section[data-dataset="iati"] [data-last-build]').innerText()).toContain(
      'not built since the gateway started',
    );
    await page.screenshot({ path: `${ARTIFACTS}/open-data.png`, fullPage: true });
    expectOffline(opened);
    await page.close();
  }, 60_000);

  it('stays JSON for machines: no Accept, */*, or application/json', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html;q=0.5']) {
      const response = await fetch(`${origin}/open-data`, { headers: accept ? { accept } : {} });
      expect(response.headers.get('content-type'), accept).toContain('application/json');
      expect(response.headers.get('vary')).toContain('accept');
      const index = (await response.json()) as { datasets: { file: string }[] };
      expect(index.datasets.map((d) => d.file)).toEqual(DATASETS.map((d) => d.file));
      expect(index.datasets.map((d) => d.file)).toEqual(
        expect.arrayContaining(['iati-activities.xml', '360giving-grants.json', 'register-by-region.csv']),
      );
    }
  });
});
