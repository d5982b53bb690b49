import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileModelOrThrow, defaultModel } from '../core';
import { loadAppConfig } from './app-config';
import { APP_DIR, generateAppProject, type GeneratedFile } from './generate-project';

export const CONTRACT_SOURCE_PATH = 'src/contracts/card-api.ts';
export const PAGE_CONTRACT_SOURCE_PATH = 'src/contracts/page-api.ts';

export interface BuildOptions {
  /** Repository root: holds hsproject.json, app.json and src/contracts. */
  root: string;
  /** A portal's own lifecycle model file; the default model otherwise. */
  modelFile?: string;
}

/** Reads app.json, the model and the contract, and generates every file in memory (no writes). */
export function generateFromDisk({ root, modelFile }: BuildOptions): GeneratedFile[] {
  const model = modelFile ? compileModelOrThrow(JSON.parse(readFileSync(modelFile, 'utf8'))) : defaultModel();
  return generateAppProject({
    config: loadAppConfig(join(root, 'app.json')),
    model,
    contractSource: readFileSync(join(root, CONTRACT_SOURCE_PATH), 'utf8'),
    pageContractSource: readFileSync(join(root, PAGE_CONTRACT_SOURCE_PATH), 'utf8'),
    settings: {
      settingsContract: readFileSync(join(root, 'src/contracts/settings-api.ts'), 'utf8'),
      modelSchema: readFileSync(join(root, 'src/core/model/model-schema.ts'), 'utf8'),
      criteriaSchema: readFileSync(join(root, 'src/core/model/criteria-schema.ts'), 'utf8'),
    },
  });
}

/** Every *-hsmeta.json under extensions/app (one level of feature folders, as HubSpot reads them). */
function hsmetaFilesOnDisk(root: string): string[] {
  const appDir = join(root, APP_DIR);
  if (!existsSync(appDir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(appDir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('-hsmeta.json')) found.push(`${APP_DIR}/${entry.name}`);
    if (!entry.isDirectory()) continue;
    for (const name of readdirSync(join(appDir, entry.name))) {
      if (name.endsWith('-hsmeta.json')) found.push(`${APP_DIR}/${entry.name}/${name}`);
    }
  }
  return found.sort();
}

export interface ProjectDrift {
  /** Generated files that are missing or differ on disk. */
  outdated: string[];
  /** hsmeta files on disk that the generator no longer produces (HubSpot would still upload them). */
  unexpected: string[];
}

export function findDrift(root: string, files: GeneratedFile[]): ProjectDrift {
  const outdated = files
    .filter((file) => {
      const path = join(root, file.path);
      return !existsSync(path) || readFileSync(path, 'utf8') !== file.content;
    })
    .map((file) => file.path);
  const generated = new Set(files.map((file) => file.path));
  const unexpected = hsmetaFilesOnDisk(root).filter((path) => !generated.has(path));
  return { outdated, unexpected };
}

/** Writes the generated files and removes hsmeta files the generator no longer produces. */
export function writeProject(root: string, files: GeneratedFile[]): ProjectDrift {
  const drift = findDrift(root, files);
  for (const file of files) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
  }
  for (const path of drift.unexpected) rmSync(join(root, path));
  return drift;
}
