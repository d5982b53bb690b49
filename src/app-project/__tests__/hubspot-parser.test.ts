import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectWithHubSpotParser } from '../hubspot-parser/inspect-with-hubspot-parser';
import { REPO_ROOT } from './helpers';

/** HubSpot's own parser, offline (structure, placement, uids; full schema validation needs an account). */
describe('the project as @hubspot/project-parsing-lib reads it', () => {
  it('finds one app, seven cards, the settings page, the webhooks, five workflow actions and the app pages, and skips nothing', async () => {
    const project = await inspectWithHubSpotParser(REPO_ROOT);

    expect(project.platformVersion).toBe('2026.03');
    expect(project.skippedHsMetaFiles).toEqual([]);
    // The parser knows the pages component under two names ("page" and "pages", one directory), so it counts it twice.
    expect(project.counts).toMatchObject({ app: 1, card: 7, settings: 1, webhooks: 1, 'workflow-action': 5, pages: 1, page: 1 });
    expect(project.components.map((component) => component.componentType).filter((type) => type === 'PAGE')).toEqual(['PAGE']);
    expect(Object.entries(project.counts).reduce((sum, [type, count]) => (type === 'page' ? sum : sum + count), 0)).toBe(16);
    expect(project.components.find((component) => component.componentType === 'SETTINGS')).toMatchObject({
      uid: 'lifecycle_model_settings',
      metaFilePath: 'app/settings/settings-hsmeta.json',
    });
  });

  it('reads a full tab card and a sidebar summary for contacts, companies and deals, and the contact summary in the preview panel', async () => {
    const project = await inspectWithHubSpotParser(REPO_ROOT);
    const cards = project.components.filter((component) => component.componentType === 'CARD');

    expect(Object.fromEntries(cards.map((card) => [card.uid, card.location]))).toEqual({
      contact_lifecycle_card: 'crm.record.tab',
      company_health_card: 'crm.record.tab',
      deal_impact_card: 'crm.record.tab',
      contact_lifecycle_sidebar_card: 'crm.record.sidebar',
      company_health_sidebar_card: 'crm.record.sidebar',
      deal_impact_sidebar_card: 'crm.record.sidebar',
      contact_lifecycle_preview_card: 'crm.preview',
    });
  });

  it("carries the optionsUrl of the select inputs whose options come from the account's published model", async () => {
    const project = await inspectWithHubSpotParser(REPO_ROOT);
    const actions = project.components.filter((component) => component.componentType === 'WORKFLOW_ACTION');

    expect(Object.fromEntries(actions.map((action) => [action.uid, action.optionsUrls]))).toEqual({
      evaluate_lifecycle_stage: {},
      recycle_record: { reason: 'https://lifecycle.example.com/actions/recycle/options' },
      mark_dead_end: { reason: 'https://lifecycle.example.com/actions/dead-end/options' },
      fastpass_to_stage: { target_stage: 'https://lifecycle.example.com/actions/fastpass/options' },
      record_satisfaction_answer: {},
    });
  });

  it('accepts every uid', async () => {
    const project = await inspectWithHubSpotParser(REPO_ROOT);

    expect(project.components).toHaveLength(16);
    expect(project.components.filter((component) => component.uidError !== null)).toEqual([]);
  });

  it('would skip an hsmeta file outside the folders HubSpot reads (the check is real)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lifecycle-parse-'));
    try {
      cpSync(join(REPO_ROOT, 'hsproject.json'), join(root, 'hsproject.json'));
      cpSync(join(REPO_ROOT, 'extensions/app/app-hsmeta.json'), join(root, 'extensions/app/app-hsmeta.json'), { recursive: true });
      mkdirSync(join(root, 'extensions/app/cards/nested'), { recursive: true });
      cpSync(join(REPO_ROOT, 'extensions/app/cards/deal-impact-hsmeta.json'), join(root, 'extensions/app/cards/nested/deal-impact-hsmeta.json'));

      const project = await inspectWithHubSpotParser(root);

      expect(project.skippedHsMetaFiles).toEqual(['app/cards/nested/deal-impact-hsmeta.json']);
      expect(project.counts.card).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
