// Runs HubSpot's own project parser (ESM-only, so it cannot be required from the CommonJS backend or ts-jest)
// on a project directory and prints a JSON summary on stdout. Usage: node inspect-project.mjs <projectDir>
import path from 'node:path';
import { getProjectMetadata, parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';

const projectDir = path.resolve(process.argv[2] ?? '.');
const projectConfig = parseProjectConfig(projectDir);
const projectSourceDir = path.join(projectDir, projectConfig.srcDir);

// Full validation downloads HubSpot's JSON schemas (account + network); offline we get structure, placement, uids.
const { intermediateRepresentation, skippedHsMetaFiles } = await translate({ projectSourceDir, platformVersion: projectConfig.platformVersion }, { skipValidation: true });
const metadata = await getProjectMetadata(projectSourceDir);
const components = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid).map((node) => ({
  uid: node.uid,
  componentType: node.componentType,
  metaFilePath: node.metaFilePath,
  location: node.config?.location ?? null,
  // Workflow actions: the input fields whose options HubSpot's editor fetches from the app, as the parser carries them.
  optionsUrls: Object.fromEntries((node.config?.inputFields ?? []).filter((f) => f?.typeDefinition?.optionsUrl).map((f) => [f.typeDefinition.name, f.typeDefinition.optionsUrl])),
  uidError: validateUid(node.uid) ?? null,
}));

process.stdout.write(
  JSON.stringify({
    platformVersion: projectConfig.platformVersion,
    components,
    skippedHsMetaFiles,
    counts: Object.fromEntries(Object.entries(metadata.components).map(([type, info]) => [type, info.count])),
  }),
);
