import type { z } from 'zod';
import type { CompiledModel } from '../core';
import type { AppConfig } from './app-config';
import { appHsmeta } from './generate/app-meta';
import { backendUrlSource, cardContractSource, pageContractSource, settingsSources, type SettingsSourceTexts } from './generate/card-sources';
import { pagesHsmeta } from './generate/pages-meta';
import { PagesHsmetaSchema } from './schemas/pages-hsmeta';
import { cardHsmetas } from './generate/cards-meta';
import { webhooksHsmeta } from './generate/webhooks-meta';
import { workflowActions } from './generate/workflow-actions';
import { AppHsmetaSchema } from './schemas/app-hsmeta';
import { CardHsmetaSchema } from './schemas/card-hsmeta';
import { SettingsHsmetaSchema } from './schemas/settings-hsmeta';
import { WebhooksHsmetaSchema } from './schemas/webhooks-hsmeta';
import { WorkflowActionHsmetaSchema } from './schemas/workflow-action-hsmeta';

/** HubSpot's srcDir (hsproject.json) and the single app inside it, relative to the repository root. */
export const APP_DIR = 'extensions/app';

export interface GeneratedFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  content: string;
}

export interface GenerationInputs {
  config: AppConfig;
  model: CompiledModel;
  /** Text of src/contracts/card-api.ts. */
  contractSource: string;
  /** Text of src/contracts/page-api.ts. */
  pageContractSource: string;
  /** Texts the settings page copies (its contract, the model schema); without them, no settings page is generated. */
  settings?: Omit<SettingsSourceTexts, 'cardContract'>;
}

/** The settings page: the portal's lifecycle model, edited, previewed, published and rolled back in HubSpot. */
const SETTINGS_HSMETA = {
  uid: 'lifecycle_model_settings',
  type: 'settings',
  config: {
    name: 'Lifecycle model',
    description: 'Edit the lifecycle model of this account, preview its effect on the recorded funnel, publish it and roll it back.',
    entrypoint: '/app/settings/Settings.tsx',
  },
};

/**
 * Validating through the schema both guards what we hand to HubSpot and fixes the key order (zod emits keys in
 * schema order), so the output is byte-for-byte deterministic: 2-space JSON with a trailing newline.
 */
function jsonFile(path: string, schema: z.ZodType, value: unknown): GeneratedFile {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`generated ${path} does not match its schema: ${parsed.error.message}`);
  return { path, content: `${JSON.stringify(parsed.data, null, 2)}\n` };
}

export function generateAppProject({ config, model, contractSource, pageContractSource: pageContract, settings }: GenerationInputs): GeneratedFile[] {
  return [
    jsonFile(`${APP_DIR}/app-hsmeta.json`, AppHsmetaSchema, appHsmeta(config)),
    jsonFile(`${APP_DIR}/webhooks/webhooks-hsmeta.json`, WebhooksHsmetaSchema, webhooksHsmeta(config, model, config.uid)),
    ...workflowActions(config).map(({ name, hsmeta }) => jsonFile(`${APP_DIR}/workflow-actions/${name}-hsmeta.json`, WorkflowActionHsmetaSchema, hsmeta)),
    ...cardHsmetas().map(({ file, hsmeta }) => jsonFile(`${APP_DIR}/cards/${file}-hsmeta.json`, CardHsmetaSchema, hsmeta)),
    { path: `${APP_DIR}/cards/contract.ts`, content: cardContractSource(contractSource) },
    { path: `${APP_DIR}/cards/backend-url.ts`, content: backendUrlSource(config) },
    jsonFile(`${APP_DIR}/pages/pages-hsmeta.json`, PagesHsmetaSchema, pagesHsmeta()),
    { path: `${APP_DIR}/pages/contract.ts`, content: pageContractSource(pageContract) },
    { path: `${APP_DIR}/pages/backend-url.ts`, content: backendUrlSource(config) },
    ...(settings
      ? [
          jsonFile(`${APP_DIR}/settings/settings-hsmeta.json`, SettingsHsmetaSchema, SETTINGS_HSMETA),
          ...settingsSources({ ...settings, cardContract: contractSource }, config).map(({ file, content }) => ({ path: `${APP_DIR}/settings/${file}`, content })),
        ]
      : []),
  ].sort((a, b) => a.path.localeCompare(b.path));
}
