import { Flex, Text } from '@hubspot/ui-extensions';
import { createPageRouter, PageLink, PageRoutes, PageTitle, usePageRoute } from '@hubspot/ui-extensions/pages';
import type { ReactNode } from 'react';
import { AuditPage } from './AuditPage.tsx';
import { FunnelPage } from './FunnelPage.tsx';
import { SyncHealthPage } from './SyncHealthPage.tsx';

export const PAGE_PATHS = { funnel: '/', syncHealth: '/sync-health', audit: '/audit' } as const;

const TITLES: Record<string, string> = { [PAGE_PATHS.funnel]: 'Lifecycle funnel', [PAGE_PATHS.syncHealth]: 'Sync health', [PAGE_PATHS.audit]: 'Audit' };

/** Every page: its title and the links to the other two. */
function Layout({ children }: { children: ReactNode }) {
  const { path } = usePageRoute();
  return (
    <Flex direction="column" gap="md">
      <PageTitle>{TITLES[path] ?? 'Lifecycle'}</PageTitle>
      <Flex direction="row" gap="md">
        <PageLink to={PAGE_PATHS.funnel}>Funnel</PageLink>
        <PageLink to={PAGE_PATHS.syncHealth}>Sync health</PageLink>
        <PageLink to={PAGE_PATHS.audit}>Audit</PageLink>
      </Flex>
      {children}
    </Flex>
  );
}

function NotFound() {
  return <Text>This lifecycle page does not exist.</Text>;
}

/** The app's pages, reachable from its menu in HubSpot (hsmeta type "pages"). */
export const LifecyclePages = createPageRouter(
  <PageRoutes layoutComponent={Layout}>
    <PageRoutes.IndexRoute component={FunnelPage} id="funnel" />
    <PageRoutes.Route path={PAGE_PATHS.syncHealth} component={SyncHealthPage} id="sync-health" />
    <PageRoutes.Route path={PAGE_PATHS.audit} component={AuditPage} id="audit" />
    <PageRoutes.AnyRoute component={NotFound} />
  </PageRoutes>,
);
