import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

/**
 * The .mjs helper stays in src/ (tsc does not copy it to dist), so resolve it from the repository root: the same
 * path works from src/app-project (ts-jest) and dist/app-project (compiled CLI).
 */
const HELPER = join(__dirname, '..', '..', '..', 'src', 'app-project', 'hubspot-parser', 'inspect-project.mjs');

/** What HubSpot's parser reports about the project; loose because it is HubSpot's output, not ours. */
export const ParsedProjectSchema = z.looseObject({
  platformVersion: z.string(),
  components: z.array(
    z.looseObject({
      uid: z.string(),
      componentType: z.string(),
      metaFilePath: z.string(),
      /** config.location as the parser read it (cards only). */
      location: z.string().nullable(),
      /** Workflow actions: input field name → optionsUrl, as the parser carries it to the upload. */
      optionsUrls: z.record(z.string(), z.string()),
      uidError: z.string().nullable(),
    }),
  ),
  skippedHsMetaFiles: z.array(z.string()),
  counts: z.record(z.string(), z.number()),
});
export type ParsedProject = z.infer<typeof ParsedProjectSchema>;

/** Runs @hubspot/project-parsing-lib (ESM-only) in a child node process so CommonJS callers can use it. */
export async function inspectWithHubSpotParser(projectDir: string): Promise<ParsedProject> {
  const { stdout } = await promisify(execFile)(process.execPath, [HELPER, projectDir], { cwd: projectDir, maxBuffer: 10 * 1024 * 1024 });
  return ParsedProjectSchema.parse(JSON.parse(stdout));
}
