export * from './criteria-schema';
export * from './model-schema';
export * from './model-types';
export { parseModel, compileModelOrThrow, formatIssuePath, type ModelParseResult } from './compile-model';
export { defaultModel, defaultModelDocument } from './default-model';
export { alignNativeStages, type NativeStageAlignment, type NativeStageOption } from './align-native-stages';
