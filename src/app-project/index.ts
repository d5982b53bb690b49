/** The HubSpot project (extensions/app) generated from app.json and the lifecycle model, and its checks. */
export { AppConfigSchema, loadAppConfig, backendOrigin, type AppConfig } from './app-config';
export { generateAppProject, APP_DIR, type GeneratedFile, type GenerationInputs } from './generate-project';
export { generateFromDisk, findDrift, writeProject, CONTRACT_SOURCE_PATH, type ProjectDrift } from './project-files';
export { ACTIVITY_PROPERTIES, COMPANY_FACT_PROPERTIES, propertiesReadByModel, watchedProperties } from './watched-properties';
export { REQUIRED_SCOPES } from './required-scopes';
export { CARDS } from './generate/cards-meta';
export { inspectWithHubSpotParser, type ParsedProject } from './hubspot-parser/inspect-with-hubspot-parser';
export * from './schemas/app-hsmeta';
export * from './schemas/card-hsmeta';
export * from './schemas/webhooks-hsmeta';
export * from './schemas/workflow-action-hsmeta';
