import defaultModelJson from './default-model.json';
import { compileModelOrThrow } from './compile-model';
import type { CompiledModel } from './model-types';

/** The model from docs/lifecycle-model.md, shipped as data; a portal can replace it with its own file. */
export const defaultModelDocument: unknown = defaultModelJson;

let compiled: CompiledModel | undefined;
export function defaultModel(): CompiledModel {
  compiled ??= compileModelOrThrow(defaultModelJson);
  return compiled;
}
