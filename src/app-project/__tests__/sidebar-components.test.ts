import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CARDS } from '../generate/cards-meta';
import { REPO_ROOT } from './helpers';

const CARDS_DIR = join(REPO_ROOT, 'extensions', 'app', 'cards');
/** The entries of every card not in a tab: the sidebar summaries and the preview panel's. */
const SUMMARY_ENTRIES = CARDS.filter((card) => card.location !== 'crm.record.tab').map((card) => `${card.entry}.tsx`);

/** Every card file an entry pulls in, following relative imports. */
function filesReachableFrom(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = readFileSync(file, 'utf8');
    seen.set(file, source);
    for (const [, spec] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) visit(join(dirname(file), spec!));
  };
  visit(join(CARDS_DIR, entry));
  return seen;
}

/**
 * HubSpot's types give crm.record.sidebar only CrmActionButton and CrmActionLink of the CRM components
 * (@hubspot/ui-extensions 0.17 CrmSidebarExtensionPoint); the data components (CrmPropertyList, CrmStageTracker, …)
 * belong to the tab and the preview. The summaries therefore use standard components only.
 */
describe('the sidebar summaries', () => {
  it('are the four cards outside a tab', () => {
    expect(SUMMARY_ENTRIES).toHaveLength(4);
  });

  it.each(SUMMARY_ENTRIES)('%s uses no CRM data component', (entry) => {
    const files = filesReachableFrom(entry);
    expect(files.size).toBeGreaterThan(3);
    for (const [file, source] of files) expect({ file, importsCrm: /from '@hubspot\/ui-extensions\/crm'/.test(source) }).toEqual({ file, importsCrm: false });
  });

  it("do not pull in the full cards' transition history table", () => {
    for (const entry of SUMMARY_ENTRIES) {
      const names = [...filesReachableFrom(entry).keys()].map((file) => file.slice(CARDS_DIR.length + 1));
      expect(names).not.toContain('shared/TransitionHistoryTable.tsx');
    }
  });
});
