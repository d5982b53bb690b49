import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { defaultModel } from '../../src/core';
import { createHttpApp } from '../../src/http/create-http-app';
import { reportRoutes } from '../../src/http/routes/report-routes';
import { isLoopbackAddress } from '../../src/http/dashboard/admin-access';
import { createLogger } from '../../src/main/logger';
import { day, JANUARY } from '../../src/app/reporting/__tests__/support/literature-ledger';
import { commitHistories } from '../../src/app/reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../src/app/reporting/__tests__/support/small-ledger';
import { openTempStore, type TempStore } from '../../src/app/reporting/__tests__/support/temp-store';
import { REPORT_API_ROUTES } from '../../src/contracts/backend-routes';
import { PartialFiguresSchema } from '../../src/contracts/report-api';
import { openDatabase } from '../../src/adapters/store/database';
import { beginRebuild } from '../../src/adapters/store/ledger-aggregate-rebuild';

const PORTAL = 101;
const TOKEN = 'a-dashboard-token-for-tests';
/** "Now" for the defaults: the last 30 days are then [Jan 10, Feb 9) 2025. */
const NOW = day(39);
const JANUARY_QUERY = { portalId: String(PORTAL), from: JANUARY.from, to: JANUARY.to };

let temp: TempStore;
const appWith = (dashboardToken?: string): Express =>
  createHttpApp({ logger: createLogger('silent'), routers: [reportRoutes({ store: temp.store, model: () => defaultModel(), clock: { now: () => NOW }, dashboardToken })] });

beforeAll(async () => {
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, smallLedger());
});
afterAll(() => temp.remove());

describe('GET /api/reports/funnel', () => {
  it('answers the flow/stock report and its table for the portal and period asked for', async () => {
    const response = await request(appWith(TOKEN)).get(REPORT_API_ROUTES.funnel).query(JANUARY_QUERY).auth(TOKEN, { type: 'bearer' }).expect(200);

    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatchObject({ portalId: PORTAL, objectType: 'contact', period: { start: JANUARY.start, end: JANUARY.end }, filteredToRecords: null });
    expect(response.body.report.records).toEqual({ beginning: 0, ending: 4 });
    expect(response.body.table.find((row: { stageId: string }) => row.stageId === 'nurturing')).toMatchObject({ flowIn: 2, ending: 1, cvr: 0.5, fastpassed: 1 });
  });

  it('covers the last 30 days up to now when no period is given', async () => {
    const response = await request(appWith(TOKEN)).get(REPORT_API_ROUTES.funnel).query({ portalId: PORTAL }).auth(TOKEN, { type: 'bearer' }).expect(200);

    expect(response.body.period).toEqual({ start: day(9), end: NOW });
    expect(response.body.report.stages.find((s: { stageId: string }) => s.stageId === 'appointment')).toMatchObject({ flowIn: 1 });
  });

  it.each([
    ['a date that does not exist', { ...JANUARY_QUERY, from: '2025-02-30' }, '"2025-02-30" must be a date'],
    ['a period that ends before it starts', { ...JANUARY_QUERY, from: '2025-02-01', to: '2025-01-01' }, 'from must be before to'],
    ['no portal', { from: JANUARY.from }, 'portalId'],
    ['a portal that is not a number', { portalId: 'acme' }, 'must be a HubSpot portal id'],
    ['an object type without a funnel', { portalId: PORTAL, objectType: 'deal' }, 'objectType'],
    ['an unknown parameter', { portalId: PORTAL, owner: '7' }, 'owner'],
    ['an owner that is not a number', { portalId: PORTAL, ownerId: 'ann' }, 'must be a HubSpot owner id'],
    ['a repeated parameter', 'portalId=101&portalId=202', 'portalId'],
  ])('answers 400 naming the problem for %s', async (_case, query, problem) => {
    const response = await request(appWith(TOKEN)).get(REPORT_API_ROUTES.funnel).query(query).auth(TOKEN, { type: 'bearer' }).expect(400);

    expect(response.body.error).toBe('invalid_query');
    expect(response.body.message).toContain(problem);
  });
});

describe('the owner filter without HubSpot access', () => {
  it('is refused with 400 saying why, rather than answering the unfiltered report', async () => {
    const response = await request(appWith(TOKEN))
      .get(REPORT_API_ROUTES.funnel)
      .query({ ...JANUARY_QUERY, ownerId: '7' })
      .auth(TOKEN, { type: 'bearer' })
      .expect(400);
    expect(response.body).toEqual({ error: 'owner_filter_unavailable', message: expect.stringContaining('no HubSpot access') });
  });
});

describe('GET /api/reports/stock-series', () => {
  it('answers the stock per stage at every day boundary of the period', async () => {
    const response = await request(appWith(TOKEN)).get(REPORT_API_ROUTES.stockSeries).query(JANUARY_QUERY).auth(TOKEN, { type: 'bearer' }).expect(200);
    const { stages, points } = response.body.series;

    expect(stages.map((s: { stageId: string }) => s.stageId)).toContain('dead_end');
    expect(points).toHaveLength(32);
    expect(points.map((p: { stock: Record<string, number> }) => p.stock.lead_acquired).slice(0, 5)).toEqual([0, 0, 2, 4, 3]);
    expect(points[31]).toEqual({ at: JANUARY.end, records: 4, stock: expect.objectContaining({ lead_acquired: 1, nurturing: 1, appointment: 1, dead_end: 1 }) });
  });

  it('answers 400 for a bad period like the funnel does', async () => {
    const response = await request(appWith(TOKEN)).get(REPORT_API_ROUTES.stockSeries).query({ portalId: PORTAL, to: '31/01/2025' }).auth(TOKEN, { type: 'bearer' }).expect(400);

    expect(response.body.message).toContain('"31/01/2025" must be a date');
  });
});

describe('a report while the aggregates are being rebuilt', () => {
  it('says its figures are partial (how far the rebuild got and how to finish it), in the funnel and the stock series, until the rebuild is finished', async () => {
    const get = (route: string) => request(appWith(TOKEN)).get(route).query(JANUARY_QUERY).auth(TOKEN, { type: 'bearer' }).expect(200);
    const whole = await get(REPORT_API_ROUTES.funnel);
    // A rebuild stopped before its first step: the aggregates were emptied and no record is back yet.
    const { db } = openDatabase(temp.url);
    await beginRebuild(db, 'sqlite', PORTAL, NOW);
    await db.destroy();

    const [funnel, stock] = [await get(REPORT_API_ROUTES.funnel), await get(REPORT_API_ROUTES.stockSeries)];

    const partial = {
      reason: 'aggregates_rebuild',
      recordsDone: 0,
      recordsTotal: 4,
      message: `aggregates for portal ${PORTAL} are being rebuilt (0 of about 4 records done): figures are partial; run \`lifecycle aggregates rebuild --portal ${PORTAL}\` to finish`,
    };
    expect(PartialFiguresSchema.parse(funnel.body.partial)).toEqual(partial);
    expect(stock.body.partial).toEqual(partial);
    expect(funnel.body.report.records.ending).toBe(0);
    expect(whole.body).not.toHaveProperty('partial');

    await temp.store.rebuildAggregates({ portalId: PORTAL, now: () => NOW });

    expect((await get(REPORT_API_ROUTES.funnel)).body).toEqual(whole.body);
    expect((await get(REPORT_API_ROUTES.stockSeries)).body).not.toHaveProperty('partial');
  });
});

describe('GET /api/reports/portals', () => {
  it('answers the portals with ledger rows, or null when the store cannot list them', async () => {
    const response = await request(appWith(TOKEN)).get(REPORT_API_ROUTES.portals).auth(TOKEN, { type: 'bearer' }).expect(200);

    expect([null, [PORTAL]]).toContainEqual(response.body.portals);
  });
});

describe('admin access with DASHBOARD_TOKEN set', () => {
  it.each([
    ['no credentials', undefined],
    ['a wrong bearer token', `Bearer ${TOKEN}-not`],
    ['a wrong Basic password', `Basic ${Buffer.from(`admin:${TOKEN.toUpperCase()}`).toString('base64')}`],
    ['an unknown scheme', `Token ${TOKEN}`],
  ])('answers 401 with a challenge to %s', async (_case, authorization) => {
    const call = request(appWith(TOKEN)).get(REPORT_API_ROUTES.funnel).query(JANUARY_QUERY);
    const response = await (authorization ? call.set('Authorization', authorization) : call).expect(401);

    expect(response.body.error).toBe('unauthorized');
    expect(response.headers['www-authenticate']).toContain('Bearer realm="lifecycle-dashboard"');
    expect(response.headers['www-authenticate']).toContain('Basic realm="lifecycle-dashboard"');
  });

  it('lets a browser in with the token as the Basic password', async () => {
    await request(appWith(TOKEN)).get(REPORT_API_ROUTES.funnel).query(JANUARY_QUERY).auth('admin', TOKEN).expect(200);
  });

  it('protects the page and its files as well as the API', async () => {
    await request(appWith(TOKEN)).get('/dashboard').expect(401);
    await request(appWith(TOKEN)).get('/dashboard/dashboard.js').expect(401);
  });

  it('refuses to start with a token short enough to guess', () => {
    expect(() => appWith('short')).toThrow('DASHBOARD_TOKEN must be at least 16 characters');
  });
});

describe('admin access without DASHBOARD_TOKEN', () => {
  it('answers loopback clients and says that it is open to this machine', async () => {
    const response = await request(appWith()).get(REPORT_API_ROUTES.funnel).query(JANUARY_QUERY).expect(200);

    expect(response.headers['x-dashboard-access']).toBe('loopback-only; DASHBOARD_TOKEN is not set');
  });

  it('counts 127.0.0.0/8 and ::1 as loopback, IPv4-mapped included, and nothing else', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([true, true, true, true]);
    expect(['203.0.113.9', '10.0.0.1', '::ffff:10.0.0.1', '', undefined].map(isLoopbackAddress)).toEqual([false, false, false, false, false]);
  });

  it('answers 403 to a client that is not on loopback, even one claiming 127.0.0.1 in X-Forwarded-For (here a unix socket)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lc-socket-'));
    const socketPath = join(folder, 'http.sock');
    const server = http.createServer(appWith());
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const { status, body } = await getOverSocket(socketPath, `${REPORT_API_ROUTES.funnel}?portalId=${PORTAL}`, { 'X-Forwarded-For': '127.0.0.1' });

      expect(status).toBe(403);
      expect(JSON.parse(body).message).toContain('DASHBOARD_TOKEN is not set');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('GET /dashboard', () => {
  it('serves the page, its script and its style, under a policy that runs only its own files', async () => {
    const page = await request(appWith(TOKEN)).get('/dashboard').auth('admin', TOKEN).expect(200).expect('Content-Type', /html/);
    await request(appWith(TOKEN))
      .get('/dashboard/dashboard.js')
      .auth('admin', TOKEN)
      .expect(200)
      .expect('Content-Type', /javascript/);
    await request(appWith(TOKEN)).get('/dashboard/dashboard.css').auth('admin', TOKEN).expect(200).expect('Content-Type', /css/);

    expect(page.text).toContain('<table id="flow-stock">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

function getOverSocket(socketPath: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}
