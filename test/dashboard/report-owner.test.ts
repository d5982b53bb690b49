import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { REPORT_API_ROUTES } from '../../src/contracts/backend-routes';

/**
 * Issue 7's owner filter: a funnel of only the records one HubSpot owner holds now, resolved through HubSpot's search
 * (the ledger keeps no owners), for the dashboard and the JSON API.
 */
describe('reports filtered by owner', () => {
  let h: PipelineHarness;
  const folder = mkdtempSync(path.join(tmpdir(), 'lifecycle-owner-'));
  const databaseUrl = `sqlite:${path.join(folder, 'owner.db')}`;
  const funnel = async (query: Record<string, string>) => {
    const response = await fetch(`${h.backend.url}${REPORT_API_ROUTES.funnel}?${new URLSearchParams({ portalId: String(PORTAL), from: '2026-01-01', to: '2026-01-31', ...query })}`);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const flowInto = (body: Record<string, any>, stageId: string) => body['table'].find((row: { stageId: string }) => row.stageId === stageId)?.flowIn;

  beforeAll(async () => {
    h = await startPipelineHarness({ databaseUrl });
    // Owner 7 holds three contacts (two of them nurtured), owner 8 one, and one contact has no owner.
    const ann = await h.createContact({ email: 'ann@acme.test', hubspot_owner_id: '7' });
    const bob = await h.createContact({ email: 'bob@acme.test', hubspot_owner_id: '7' });
    await h.createContact({ email: 'cy@acme.test', hubspot_owner_id: '7' });
    const dee = await h.createContact({ email: 'dee@acme.test', hubspot_owner_id: '8' });
    await h.createContact({ email: 'eve@acme.test' });
    await h.settle();
    h.clock.advance(DAY);
    for (const id of [ann, bob, dee]) h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
  });
  afterAll(async () => {
    await h.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('counts only the records the owner holds, and says whose they are and how many', async () => {
    const { status, body } = await funnel({ ownerId: '7' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ownerId: '7', filteredToRecords: 3 });
    expect(body['report'].records.ending).toBe(3);
    expect(flowInto(body, 'lead_acquired')).toBe(3);
    expect(flowInto(body, 'nurturing')).toBe(2);
  });

  it('without an owner, the whole portal', async () => {
    const { body } = await funnel({});
    expect(body).toMatchObject({ ownerId: null, filteredToRecords: null });
    expect(body['report'].records.ending).toBe(5);
    expect(flowInto(body, 'nurturing')).toBe(3);
  });

  it("an owner with no records gets an empty report, not the portal's", async () => {
    const { body } = await funnel({ ownerId: '99' });
    expect(body).toMatchObject({ ownerId: '99', filteredToRecords: 0 });
    expect(body['report'].records.ending).toBe(0);
  });

  it('the stock series is narrowed the same way', async () => {
    const response = await fetch(`${h.backend.url}${REPORT_API_ROUTES.stockSeries}?${new URLSearchParams({ portalId: String(PORTAL), from: '2026-01-01', to: '2026-01-31', ownerId: '8' })}`);
    const body = (await response.json()) as Record<string, any>;
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ ownerId: '8', filteredToRecords: 1 });
    const last = body['series'].points.at(-1);
    expect(Object.values(last.stock as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(1);
  });

  describe('lifecycle report --owner', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
      process.exitCode = undefined;
      jest.restoreAllMocks();
    });
    const report = async (...args: string[]) => {
      let out = '';
      let err = '';
      jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
      jest.spyOn(console, 'error').mockImplementation((text: string) => void (err += `${text}\n`));
      await main(['node', 'lifecycle', 'report', '--database', databaseUrl, '--portal', String(PORTAL), '--from', '2026-01-01', '--to', '2026-01-31', '--json', ...args]);
      return { out, err, exitCode: process.exitCode };
    };

    it("with the portal's private-app token, reports the owner's records only", async () => {
      const portal = h.sim.portals[0]!;
      Object.assign(process.env, {
        HUBSPOT_ACCESS_TOKEN: portal.accessTokens[0],
        HUBSPOT_PORTAL_ID: String(PORTAL),
        HUBSPOT_CLIENT_SECRET: portal.clientSecret,
        HUBSPOT_API_BASE_URL: h.sim.baseUrl,
      });
      const { out, exitCode } = await report('--owner', '7');
      expect(exitCode).toBeUndefined();
      const body = JSON.parse(out) as Record<string, any>;
      expect(body).toMatchObject({ ownerId: '7', filteredToRecords: 3 });
      expect(body['report'].records.ending).toBe(3);
    });

    it('without HubSpot credentials, exits 1 and says what to set', async () => {
      for (const name of ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_PORTAL_ID', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_CLIENT_ID']) delete process.env[name];
      const { err, exitCode } = await report('--owner', '7');
      expect(exitCode).toBe(1);
      expect(err).toContain('set HUBSPOT_ACCESS_TOKEN, HUBSPOT_PORTAL_ID=101');
    });
  });
});
