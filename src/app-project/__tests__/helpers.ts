import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfigSchema, type AppConfig } from '../app-config';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A valid app.json as an operator would write it; tests override one setting at a time. */
export function appConfig(overrides: Record<string, unknown> = {}): AppConfig {
  return AppConfigSchema.parse({
    name: 'Lifecycle Engine',
    description: 'Lifecycle stages on HubSpot records.',
    uid: 'lifecycle_engine',
    backendUrl: 'https://lifecycle.example.com',
    distribution: 'private',
    auth: { type: 'static' },
    support: { supportEmail: 'support@example.com' },
    webhooks: { maxConcurrentRequests: 10 },
    workflowActions: { published: true },
    ...overrides,
  });
}

export const contractSource = () => readFileSync(join(REPO_ROOT, 'src/contracts/card-api.ts'), 'utf8');
export const pageContractSource = () => readFileSync(join(REPO_ROOT, 'src/contracts/page-api.ts'), 'utf8');

export const parseJsonFile = (files: { path: string; content: string }[], path: string): any => {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`${path} was not generated`);
  return JSON.parse(file.content);
};
