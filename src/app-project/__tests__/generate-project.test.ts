import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModel, LC_PROPERTIES } from '../../core';
import { generateAppProject } from '../generate-project';
import { watchedProperties } from '../watched-properties';
import { appConfig, contractSource, pageContractSource, parseJsonFile, REPO_ROOT } from './helpers';

const generate = (config = appConfig(), model = defaultModel()) => generateAppProject({ config, model, contractSource: contractSource(), pageContractSource: pageContractSource() });

describe('generating the HubSpot project', () => {
  it('writes one app, seven cards, the webhooks, five workflow actions, the two card sources, and the app pages with their two sources', () => {
    expect(generate().map((file) => file.path)).toEqual([
      'extensions/app/app-hsmeta.json',
      'extensions/app/cards/backend-url.ts',
      'extensions/app/cards/company-health-hsmeta.json',
      'extensions/app/cards/company-health-sidebar-hsmeta.json',
      'extensions/app/cards/contact-lifecycle-hsmeta.json',
      'extensions/app/cards/contact-lifecycle-preview-hsmeta.json',
      'extensions/app/cards/contact-lifecycle-sidebar-hsmeta.json',
      'extensions/app/cards/contract.ts',
      'extensions/app/cards/deal-impact-hsmeta.json',
      'extensions/app/cards/deal-impact-sidebar-hsmeta.json',
      'extensions/app/pages/backend-url.ts',
      'extensions/app/pages/contract.ts',
      'extensions/app/pages/pages-hsmeta.json',
      'extensions/app/webhooks/webhooks-hsmeta.json',
      'extensions/app/workflow-actions/dead-end-hsmeta.json',
      'extensions/app/workflow-actions/evaluate-hsmeta.json',
      'extensions/app/workflow-actions/fastpass-hsmeta.json',
      'extensions/app/workflow-actions/recycle-hsmeta.json',
      'extensions/app/workflow-actions/satisfaction-hsmeta.json',
    ]);
  });

  it('is deterministic: 2-space JSON with a trailing newline, keys in HubSpot template order', () => {
    const files = generate();
    expect(generate()).toEqual(files);
    const app = files.find((file) => file.path.endsWith('app-hsmeta.json'))!;
    expect(app.content).toBe(`${JSON.stringify(JSON.parse(app.content), null, 2)}\n`);
    expect(Object.keys(JSON.parse(app.content))).toEqual(['uid', 'type', 'config']);
  });

  describe('app-hsmeta.json', () => {
    it('lets the cards fetch from the backend origin and nothing else', () => {
      const app = parseJsonFile(generate(appConfig({ backendUrl: 'https://apps.example.com/lifecycle' })), 'extensions/app/app-hsmeta.json');
      expect(app.config.permittedUrls).toEqual({ fetch: ['https://apps.example.com'], iframe: [], img: [] });
    });

    it('asks for object, schema (property provisioning) and automation scopes', () => {
      const app = parseJsonFile(generate(), 'extensions/app/app-hsmeta.json');
      expect(app.config.auth.requiredScopes).toEqual(
        expect.arrayContaining(['crm.objects.contacts.write', 'crm.objects.companies.write', 'crm.schemas.contacts.write', 'automation', 'crm.lists.read', 'crm.lists.write']),
      );
    });

    it('adds the OAuth redirect URL on the backend for OAuth apps', () => {
      const app = parseJsonFile(generate(appConfig({ auth: { type: 'oauth' } })), 'extensions/app/app-hsmeta.json');
      expect(app.config.auth).toMatchObject({ type: 'oauth', redirectUrls: ['https://lifecycle.example.com/oauth/callback'] });
    });
  });

  describe('webhooks-hsmeta.json', () => {
    const webhooks = parseJsonFile(generate(), 'extensions/app/webhooks/webhooks-hsmeta.json');
    const propertyChanges = (objectType: string) =>
      webhooks.config.subscriptions.crmObjects.filter((s: any) => s.subscriptionType === 'object.propertyChange' && s.objectType === objectType).map((s: any) => s.propertyName);

    it('delivers to the backend webhook route', () => {
      expect(webhooks.config.settings).toEqual({ targetUrl: 'https://lifecycle.example.com/webhooks/hubspot', maxConcurrentRequests: 10 });
    });

    it('subscribes to exactly the watched properties, per object type', () => {
      const watched = watchedProperties(defaultModel());
      expect(propertyChanges('contact')).toEqual(watched.contact);
      expect(propertyChanges('company')).toEqual(watched.company);
      expect(propertyChanges('deal')).toEqual(watched.deal);
    });

    it('never subscribes to the properties the engine writes itself (that would feed its own writes back)', () => {
      const ours = Object.values(LC_PROPERTIES);
      for (const objectType of ['contact', 'company', 'deal']) expect(propertyChanges(objectType).filter((p: string) => ours.includes(p as never))).toEqual([]);
    });

    it('follows creation, deletion, merges, association changes and GDPR deletion', () => {
      const recordEvents = webhooks.config.subscriptions.crmObjects
        .filter((s: any) => s.objectType === 'deal' && s.subscriptionType !== 'object.propertyChange')
        .map((s: any) => s.subscriptionType);
      expect(recordEvents).toEqual(['object.creation', 'object.deletion', 'object.merge', 'object.associationChange']);
      expect(webhooks.config.subscriptions.hubEvents).toEqual([{ subscriptionType: 'contact.privacyDeletion', active: true }]);
    });
  });

  describe('workflow actions', () => {
    const options = (files: ReturnType<typeof generate>, action: string, field: string) =>
      parseJsonFile(files, `extensions/app/workflow-actions/${action}-hsmeta.json`)
        .config.inputFields.find((f: any) => f.typeDefinition.name === field)
        .typeDefinition.options.map((o: any) => o.value);

    it('post to /actions/<name> on the backend', () => {
      const recycle = parseJsonFile(generate(), 'extensions/app/workflow-actions/recycle-hsmeta.json');
      expect(recycle.config.actionUrl).toBe('https://lifecycle.example.com/actions/recycle');
      expect(recycle.config.labels.en.actionCardContent).toBe('Recycle: {{reason}}');
    });

    it("ask the backend for the options of recycle reasons, dead-end reasons and fastpass stages (the portal's published model decides them)", () => {
      const files = generate();
      const input = (action: string, field: string) =>
        parseJsonFile(files, `extensions/app/workflow-actions/${action}-hsmeta.json`).config.inputFields.find((f: any) => f.typeDefinition.name === field).typeDefinition;
      expect(input('recycle', 'reason')).toEqual({ name: 'reason', type: 'enumeration', fieldType: 'select', optionsUrl: 'https://lifecycle.example.com/actions/recycle/options' });
      expect(input('dead-end', 'reason')).toEqual({ name: 'reason', type: 'enumeration', fieldType: 'select', optionsUrl: 'https://lifecycle.example.com/actions/dead-end/options' });
      expect(input('fastpass', 'target_stage')).toEqual({
        name: 'target_stage',
        type: 'enumeration',
        fieldType: 'select',
        optionsUrl: 'https://lifecycle.example.com/actions/fastpass/options',
      });
      // A fixed list stays in the file.
      expect(options(files, 'satisfaction', 'kind')).toEqual(['nps', 'csat']);
    });

    it("declare stage outputs as the stage id and its label, strings: each portal's published model has its own stages", () => {
      const files = generate();
      const outputs = (action: string) => {
        const config = parseJsonFile(files, `extensions/app/workflow-actions/${action}-hsmeta.json`).config;
        return { fields: config.outputFields.map((f: any) => f.typeDefinition), labels: config.labels.en.outputFieldLabels };
      };
      for (const [action, name, label] of [
        ['evaluate', 'stage', 'Lifecycle stage'],
        ['evaluate', 'previous_stage', 'Previous stage'],
        ['recycle', 'returned_to_stage', 'Returned to stage'],
        ['dead-end', 'previous_stage', 'Previous stage'],
        ['fastpass', 'stage', 'Lifecycle stage'],
        ['satisfaction', 'stage', 'Lifecycle stage'],
      ] as const) {
        const { fields, labels } = outputs(action);
        expect(fields).toContainEqual({ name, type: 'string', fieldType: 'text' });
        expect(fields).toContainEqual({ name: `${name}_label`, type: 'string', fieldType: 'text' });
        expect(labels).toMatchObject({ [name]: `${label} (id)`, [`${name}_label`]: label });
      }
      // Only the transition kind, a fixed list of the engine's, stays an enumeration among the outputs.
      const enumerations = ['evaluate', 'recycle', 'dead-end', 'fastpass', 'satisfaction'].flatMap((action) =>
        outputs(action)
          .fields.filter((f: any) => f.type === 'enumeration')
          .map((f: any) => f.name),
      );
      expect(enumerations).toEqual(['transition_kind']);
    });
  });

  describe('cards', () => {
    const cards = generate()
      .filter((file) => file.path.startsWith('extensions/app/cards/') && file.path.endsWith('-hsmeta.json'))
      .map((file) => JSON.parse(file.content));

    it('put a full card in a tab and a compact summary in the sidebar for contacts, companies and deals', () => {
      const where = (location: string) =>
        cards
          .filter((card) => card.config.location === location)
          .map((card) => card.config.objectTypes)
          .flat();
      expect(where('crm.record.tab').sort()).toEqual(['companies', 'contacts', 'deals']);
      expect(where('crm.record.sidebar').sort()).toEqual(['companies', 'contacts', 'deals']);
      expect(where('crm.preview')).toEqual(['contacts']);
    });

    it('point at entry files that exist next to them', () => {
      for (const card of cards) expect(existsSync(join(REPO_ROOT, 'extensions', card.config.entrypoint))).toBe(true);
    });
  });

  it('copies the card API contract verbatim under a generated-file header', () => {
    const copy = generate().find((file) => file.path === 'extensions/app/cards/contract.ts')!;
    expect(copy.content).toBe(`// GENERATED by \`lifecycle app build\` from src/contracts/card-api.ts. Do not edit: change the source and rebuild.\n${contractSource()}`);
  });

  it('copies the app-pages contract verbatim under a generated-file header', () => {
    const copy = generate().find((file) => file.path === 'extensions/app/pages/contract.ts')!;
    expect(copy.content).toBe(`// GENERATED by \`lifecycle app build\` from src/contracts/page-api.ts. Do not edit: change the source and rebuild.\n${pageContractSource()}`);
  });

  it('declares the app pages with an entry file that exists next to the hsmeta', () => {
    const pages = parseJsonFile(generate(), 'extensions/app/pages/pages-hsmeta.json');
    expect(pages).toEqual({ uid: 'lifecycle_pages', type: 'pages', config: { entrypoint: '/app/pages/Pages.tsx' } });
    expect(existsSync(join(REPO_ROOT, 'extensions', pages.config.entrypoint))).toBe(true);
  });

  it('declares empty inputFieldLabels and inputFieldDescriptions maps for a workflow action without inputs', () => {
    const evaluate = parseJsonFile(generate(), 'extensions/app/workflow-actions/evaluate-hsmeta.json');
    expect(evaluate.config.inputFields).toEqual([]);
    expect(evaluate.config.labels.en.inputFieldLabels).toEqual({});
    expect(evaluate.config.labels.en.inputFieldDescriptions).toEqual({});
  });

  it('gives the cards the backend URL from app.json', () => {
    const source = generate(appConfig({ backendUrl: 'https://crm-tools.example.org' })).find((file) => file.path.endsWith('backend-url.ts'))!;
    expect(source.content).toContain('export const BACKEND_URL = "https://crm-tools.example.org";');
  });
});
