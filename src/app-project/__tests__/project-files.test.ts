import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDrift, generateFromDisk, writeProject } from '../project-files';
import { REPO_ROOT } from './helpers';

/** The sources `lifecycle app build` copies into the extensions: the three contracts and the model schema. */
const COPIED_SOURCES = ['src/contracts/card-api.ts', 'src/contracts/page-api.ts', 'src/contracts/settings-api.ts', 'src/core/model/model-schema.ts', 'src/core/model/criteria-schema.ts'];

/** A scratch repository with the inputs `lifecycle app build` reads. */
function scratchRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'lifecycle-app-'));
  cpSync(join(REPO_ROOT, 'app.json'), join(root, 'app.json'));
  cpSync(join(REPO_ROOT, 'hsproject.json'), join(root, 'hsproject.json'));
  for (const source of COPIED_SOURCES) {
    mkdirSync(join(root, source, '..'), { recursive: true });
    cpSync(join(REPO_ROOT, source), join(root, source));
  }
  return root;
}

describe('lifecycle app build / check', () => {
  let root: string;
  beforeEach(() => (root = scratchRepo()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('the committed extensions/app matches what app.json and the default model generate', () => {
    expect(findDrift(REPO_ROOT, generateFromDisk({ root: REPO_ROOT }))).toEqual({ outdated: [], unexpected: [] });
  });

  it('reports every file on a fresh checkout, and nothing once built', () => {
    const files = generateFromDisk({ root });
    expect(findDrift(root, files).outdated).toHaveLength(files.length);

    writeProject(root, files);
    expect(findDrift(root, generateFromDisk({ root }))).toEqual({ outdated: [], unexpected: [] });
  });

  it('names the files that app.json changes made stale', () => {
    writeProject(root, generateFromDisk({ root }));
    const app = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
    writeFileSync(join(root, 'app.json'), JSON.stringify({ ...app, backendUrl: 'https://new-host.example.com' }));

    expect(findDrift(root, generateFromDisk({ root })).outdated).toEqual([
      'extensions/app/app-hsmeta.json',
      'extensions/app/cards/backend-url.ts',
      'extensions/app/pages/backend-url.ts',
      'extensions/app/settings/backend-url.ts',
      'extensions/app/webhooks/webhooks-hsmeta.json',
      'extensions/app/workflow-actions/dead-end-hsmeta.json',
      'extensions/app/workflow-actions/evaluate-hsmeta.json',
      'extensions/app/workflow-actions/fastpass-hsmeta.json',
      'extensions/app/workflow-actions/recycle-hsmeta.json',
      'extensions/app/workflow-actions/satisfaction-hsmeta.json',
    ]);
  });

  it('flags a hand-edited contract copy', () => {
    writeProject(root, generateFromDisk({ root }));
    writeFileSync(join(root, 'extensions/app/cards/contract.ts'), '// edited by hand\n');

    expect(findDrift(root, generateFromDisk({ root })).outdated).toEqual(['extensions/app/cards/contract.ts']);
  });

  it('flags a hand-edited app-pages contract copy', () => {
    writeProject(root, generateFromDisk({ root }));
    writeFileSync(join(root, 'extensions/app/pages/contract.ts'), '// edited by hand\n');

    expect(findDrift(root, generateFromDisk({ root })).outdated).toEqual(['extensions/app/pages/contract.ts']);
  });

  it("flags the settings page's copy of the model schema once the backend's schema changes", () => {
    writeProject(root, generateFromDisk({ root }));
    const schema = join(root, 'src/core/model/model-schema.ts');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('slaDays: z.number().positive()', 'slaDays: z.number().int().positive()'));

    expect(findDrift(root, generateFromDisk({ root })).outdated).toEqual(['extensions/app/settings/model-schema.ts']);
  });

  it('reports an hsmeta file it does not generate, and build removes it', () => {
    const files = generateFromDisk({ root });
    writeProject(root, files);
    const stray = join(root, 'extensions/app/workflow-actions/old-action-hsmeta.json');
    writeFileSync(stray, '{}');

    expect(findDrift(root, files).unexpected).toEqual(['extensions/app/workflow-actions/old-action-hsmeta.json']);
    writeProject(root, files);
    expect(existsSync(stray)).toBe(false);
  });
});
