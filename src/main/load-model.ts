import { readFileSync } from 'node:fs';
import { defaultModel, parseModel, type CompiledModel } from '../core';

/** The portal's lifecycle model: the file named by LIFECYCLE_MODEL_FILE, or the shipped default. */
export function loadModel(file: string | undefined): CompiledModel {
  if (!file) return defaultModel();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read lifecycle model ${file}: ${(error as Error).message}`);
  }
  const result = parseModel(json);
  if (!result.ok) throw new Error(`lifecycle model ${file} is invalid:\n  ${result.errors.join('\n  ')}`);
  return result.model;
}
