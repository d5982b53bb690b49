export * from './criteria-schema';
export * from './model-schema';
export * from './model-types';
export { parseModel, validateModel, compileModelOrThrow, formatIssuePath, type ModelIssue, type ModelParseResult, type ModelValidation } from './compile-model';
export { diffModelDocuments, type ModelChange } from './model-diff';
export { defaultModel, defaultModelDocument } from './default-model';
export { alignNativeStages, type NativeStageAlignment, type NativeStageOption } from './align-native-stages';
