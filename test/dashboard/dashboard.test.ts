import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { defaultModel } from '../../src/core';
import { createHttpApp } from '../../src/http/create-http-app';
import { reportRoutes } from '../../src/http/routes/report-routes';
import { createLogger } from '../../src/main/logger';
import { day, JANUARY, literatureLedger, oneCompanyCustomer } from '../../src/app/reporting/__tests__/support/literature-ledger';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { openTempStore, type TempStore } from '../../src/app/reporting/__tests__/support/temp-store';
import { openDatabase } from '../../src/adapters/store/database';
import { beginRebuild } from '../../src/adapters/store/ledger-aggregate-rebuild';

const CHROMIUM = '/usr/bin/chromium';
// Required on this machine's closed network: no sandbox (root), no GPU, and nothing that phones home.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = join(__dirname, '..', '..', 'test-output', 'dashboard.png');
const PORTAL = 101;
const TOKEN = 'browser-test-dashboard-token';
const JANUARY_PAGE = `/dashboard?portalId=${PORTAL}&from=${JANUARY.from}&to=${JANUARY.to}`;

let temp: TempStore;
let server: http.Server;
let baseUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The dashboard test drives Debian's Chromium at ${CHROMIUM}, which is not installed. Install it with: apt-get update && apt-get install -y chromium`);
  }
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, [...literatureLedger(), ...oneCompanyCustomer()]);
  const app = createHttpApp({
    logger: createLogger('silent'),
    routers: [reportRoutes({ store: temp.store, model: () => defaultModel(), clock: { now: () => day(39) }, dashboardToken: TOKEN })],
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await temp?.remove();
});

/** A fresh browser profile that answers the page's login prompt with the token (or a given password). */
async function openPage(path: string, options: { locale?: string; password?: string } = {}): Promise<{ page: Page; status: number | undefined }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: { width: 1280, height: 900 },
    httpCredentials: { username: 'admin', password: options.password ?? TOKEN },
  });
  contexts.push(context);
  const page = await context.newPage();
  const response = await page.goto(`${baseUrl}${path}`);
  return { page, status: response?.status() };
}

async function settled(page: Page): Promise<string> {
  await page.waitForSelector('#report:is([data-state="ready"], [data-state="empty"], [data-state="error"])');
  return (await page.getAttribute('#report', 'data-state')) ?? '';
}

const cell = (page: Page, stageId: string, measure: string) => page.textContent(`tr[data-line="stage"][data-stage="${stageId}"] td[data-measure="${measure}"]`);
const reasonCell = (page: Page, stageId: string, reason: string) => page.textContent(`tr[data-stage="${stageId}"][data-reason="${reason}"] td[data-measure="flowIn"]`);

describe('the funnel dashboard in a browser', () => {
  it("shows the literature's January: 7,000 into Nurturing, 1,000 into Dead end, 2,000 left in Lead acquired", async () => {
    const { page } = await openPage(JANUARY_PAGE);

    expect(await settled(page)).toBe('ready');
    expect(await cell(page, 'nurturing', 'flowIn')).toBe('7,000');
    expect(await cell(page, 'dead_end', 'flowIn')).toBe('1,000');
    expect(await cell(page, 'lead_acquired', 'ending')).toBe('2,000');
    expect(await cell(page, 'lead_acquired', 'cvr')).toBe('70.0%');
    expect(await cell(page, 'nurturing', 'fastpassed')).toBe('4');
    expect(await cell(page, 'mql', 'skippedThrough')).toBe('4');
    expect(await cell(page, 'lead_acquired', 'medianDays')).toBe('7.0');
    expect(await page.textContent('#period-caption')).toBe('Portal 101 · contacts · Jan 1, 2025 – Jan 31, 2025 (UTC)');

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('lists the detours with their reasons: Recycle A/B, Dead end by reason, Churned', async () => {
    const { page } = await openPage(JANUARY_PAGE);
    await settled(page);

    expect(await page.$$eval('#detour-rows tr[data-line="stage"] th', (cells) => cells.map((c) => c.textContent))).toEqual(['Recycle A', 'Recycle B', 'Dead end', 'Churned']);
    expect(await reasonCell(page, 'recycle_a', 'bad_timing')).toBe('5');
    expect(await reasonCell(page, 'recycle_b', 'lost_to_competitor')).toBe('3');
    expect(await Promise.all(['student', 'competitor', 'retired'].map((reason) => reasonCell(page, 'dead_end', reason)))).toEqual(['600', '300', '100']);
  });

  it('draws one stock-over-time line per stage, with a point per day boundary', async () => {
    const { page } = await openPage(JANUARY_PAGE);
    await settled(page);

    const charts = await page.$$eval('#stock-charts figure', (figures) =>
      figures.map((f) => ({
        stage: f.getAttribute('data-stage'),
        caption: f.querySelector('figcaption')?.textContent,
        points: f.querySelector('polyline')?.getAttribute('points')?.split(' ').length,
      })),
    );
    expect(charts.map((c) => c.stage)).toEqual(['lead_acquired', 'nurturing', 'mql', 'appointment', 'opportunity', 'customer', 'expand', 'recycle_a', 'recycle_b', 'dead_end', 'churned']);
    expect(charts.every((c) => c.points === 32)).toBe(true);
    expect(charts[1]?.caption).toBe('Nurturing: 6,988');
  });

  it("formats numbers for the browser's locale", async () => {
    const { page } = await openPage(JANUARY_PAGE, { locale: 'de-DE' });
    await settled(page);

    expect(await cell(page, 'nurturing', 'flowIn')).toBe('7.000');
    expect(await cell(page, 'lead_acquired', 'cvr')).toBe('70,0\u00a0%');
  });

  it('switches to companies from the filters and keeps the choice in the address', async () => {
    const { page } = await openPage(JANUARY_PAGE);
    await settled(page);

    await page.selectOption('select[name="objectType"]', 'company');
    await page.click('button[type="submit"]');
    await page.locator('#period-caption', { hasText: 'companies' }).waitFor();

    expect(await cell(page, 'customer', 'ending')).toBe('1');
    expect(new URL(page.url()).searchParams.get('objectType')).toBe('company');
  });

  it('covers the last 30 days when no period is chosen', async () => {
    const { page } = await openPage(`/dashboard?portalId=${PORTAL}`);

    expect(await settled(page)).toBe('ready');
    expect(await page.textContent('#period-caption')).toBe('Portal 101 · contacts · Jan 10, 2025 – Feb 8, 2025 (UTC)');
    expect(await cell(page, 'lead_acquired', 'beginning')).toBe('2,000');
  });

  it('says in a line above the report that its figures are partial while the aggregates are being rebuilt', async () => {
    // A rebuild stopped before its first step: the aggregates were emptied and no record is back yet.
    const { db } = openDatabase(temp.url);
    await beginRebuild(db, 'sqlite', PORTAL, day(39));
    await db.destroy();
    try {
      const { page } = await openPage(JANUARY_PAGE);

      expect(await settled(page)).toBe('empty');
      expect(await page.isVisible('#partial-note')).toBe(true);
      expect(await page.textContent('#partial-note')).toMatch(
        /^Partial figures: aggregates for portal 101 are being rebuilt \(0 of about [\d,]+ records done\): figures are partial; run `lifecycle aggregates rebuild --portal 101` to finish\.$/,
      );
    } finally {
      await temp.store.rebuildAggregates({ portalId: PORTAL, now: () => day(39) });
    }
    const { page } = await openPage(JANUARY_PAGE);

    expect(await settled(page)).toBe('ready');
    expect(await page.isHidden('#partial-note')).toBe(true);
  });

  it('says so when the portal has no records', async () => {
    const { page } = await openPage(`/dashboard?portalId=999&from=${JANUARY.from}&to=${JANUARY.to}`);

    expect(await settled(page)).toBe('empty');
    expect(await page.textContent('#status')).toBe('No contact records in the ledger of portal 999 up to Jan 31, 2025.');
  });

  it("shows the API's explanation when the filters are wrong", async () => {
    const { page } = await openPage(`/dashboard?portalId=${PORTAL}&from=2025-02-01&to=2025-01-01`);

    expect(await settled(page)).toBe('error');
    expect(await page.textContent('#status')).toContain('from must be before to');
  });

  it('is closed to a browser with a wrong token', async () => {
    const { page, status } = await openPage(JANUARY_PAGE, { password: `${TOKEN}-guess` });

    expect(status).toBe(401);
    expect(await page.$('#flow-stock')).toBeNull();
  });
});
