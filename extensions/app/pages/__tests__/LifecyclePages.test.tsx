import { Text } from '@hubspot/ui-extensions';
import { PageLink, PageTitle } from '@hubspot/ui-extensions/pages';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { LifecyclePages } from '../LifecyclePages.tsx';
import { answerByPath, auditPage, funnelView, jsonResponse, syncHealth } from './fixtures.ts';

afterEach(() => jest.restoreAllMocks());

function answerAll() {
  answerByPath({ '/pages/funnel': [jsonResponse(funnelView())], '/pages/sync-health': [jsonResponse(syncHealth())], '/pages/audit': [jsonResponse(auditPage([], null))] });
}

describe('the app pages router', () => {
  it('opens on the Funnel page, with links to the other two', () => {
    answerAll();
    const { render, find, findAll } = createRenderer('pages');
    render(<LifecyclePages />);

    expect(find(PageTitle).text).toBe('Lifecycle funnel');
    expect(findAll(PageLink).map((link) => [link.text, link.props.to])).toEqual([
      ['Funnel', '/'],
      ['Sync health', '/sync-health'],
      ['Audit', '/audit'],
    ]);
  });

  it.each([
    ['/sync-health', 'Sync health'],
    ['/audit', 'Audit'],
  ])('routes %s to its page', (path, title) => {
    answerAll();
    const { render, find, mocks } = createRenderer('pages');
    mocks.setPageLocation({ path, params: {} });
    render(<LifecyclePages />);

    expect(find(PageTitle).text).toBe(title);
  });

  it('says so for a path that is not one of its pages', () => {
    const { render, find, mocks } = createRenderer('pages');
    mocks.setPageLocation({ path: '/nowhere', params: {} });
    render(<LifecyclePages />);

    expect(find(Text, (node) => node.text === 'This lifecycle page does not exist.')).toBeTruthy();
  });
});
