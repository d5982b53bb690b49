import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { DAY, startPipelineHarness } from '../support/pipeline-harness';

/** Runs `lifecycle report …` in-process and returns what it printed on stdout. */
async function lifecycleReport(...args: string[]): Promise<string> {
  let out = '';
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
  try {
    await main(['node', 'lifecycle', 'report', ...args]);
  } finally {
    log.mockRestore();
  }
  return out;
}

describe('report --object company agrees with HubSpot', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'accounts-report-'));
  const databaseUrl = `sqlite:${path.join(folder, 'accounts.db')}`;
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('counts, per stage at the end of the period, exactly the companies whose lc_stage HubSpot shows in that stage', async () => {
    const h = await startPipelineHarness({ databaseUrl });
    const companyIds: string[] = [];
    const inHubSpot = new Map<string, number>();
    try {
      const company = async (name: string, emails: string[]) => {
        const id = (await h.hubspot.crm.companies.basicApi.create({ properties: { name }, associations: [] })).id;
        const contacts: string[] = [];
        for (const email of emails) {
          const contactId = await h.createContact({ email });
          await h.hubspot.crm.associations.v4.basicApi.createDefault('contacts', contactId, 'companies', id);
          contacts.push(contactId);
        }
        companyIds.push(id);
        return contacts;
      };
      const [quiet] = await company('Quiet', ['q1@quiet.test', 'q2@quiet.test']);
      const [clicker] = await company('Clicker', ['c1@clicker.test']);
      const [buyer, other] = await company('Buyer', ['b1@buyer.test', 'b2@buyer.test', 'b3@buyer.test']);
      await h.settle();
      void quiet;
      h.clock.advance(DAY);
      h.activity({ kind: 'email_click', contactId: clicker! });
      h.activity({ kind: 'email_click', contactId: other! });
      await h.settle();
      h.clock.advance(DAY);
      const { dealId } = h.activity({ kind: 'deal_created', contactId: buyer!, dealname: 'Buyer deal' });
      await h.settle();
      h.clock.advance(DAY);
      h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedwon' });
      await h.settle();
      await h.backend.runner.drain();
    } finally {
      for (const id of companyIds) {
        const stage = (await h.hubspot.crm.companies.basicApi.getById(id, ['lc_stage'])).properties['lc_stage'] ?? '';
        inHubSpot.set(stage, (inHubSpot.get(stage) ?? 0) + 1);
      }
      await h.stop();
    }

    const out = await lifecycleReport('--database', databaseUrl, '--portal', '101', '--from', '2026-01-01', '--to', '2026-01-31', '--object', 'company', '--json');
    const { report } = JSON.parse(out) as { report: { stages: Array<{ stageId: string; ending: number }>; records: { ending: number } } };
    const reported = new Map(report.stages.filter((s) => s.ending > 0).map((s) => [s.stageId, s.ending]));
    expect(reported).toEqual(inHubSpot);
    expect(inHubSpot).toEqual(
      new Map([
        ['lead_acquired', 1],
        ['nurturing', 1],
        ['customer', 1],
      ]),
    );
    expect(report.records.ending).toBe(3);

    const table = await lifecycleReport('--database', databaseUrl, '--portal', '101', '--from', '2026-01-01', '--to', '2026-01-31', '--object', 'company');
    expect(table).toContain('Portal 101 · companies · ');
  });
});
