import { Link, type CrmContext } from '@hubspot/ui-extensions';

/**
 * The record page that holds the full tab card. HubSpot offers no action that opens another card's tab, so the
 * summary links to the record and names the tab. UNVERIFIED: the /contacts/{portalId}/record/{objectTypeId}/{id}
 * path is the record URL HubSpot's UI uses for every object type; app.hubspot.com is expected to send users of
 * other data centres (app-eu1) to theirs.
 */
export function recordPageUrl({ portal, crm }: Pick<CrmContext, 'portal' | 'crm'>): string {
  return `https://app.hubspot.com/contacts/${portal.id}/record/${crm.objectTypeId}/${crm.objectId}`;
}

/** "History and every action: the “Lifecycle” tab", the way from a summary to its full card. */
export function FullCardLink({ context, tab }: { context: Pick<CrmContext, 'portal' | 'crm'>; tab: string }) {
  return (
    <Link testId="full-card" href={{ url: recordPageUrl(context), external: false }}>
      {`History and every action: the “${tab}” tab`}
    </Link>
  );
}
