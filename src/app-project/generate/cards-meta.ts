import type { CardHsmeta } from '../schemas/card-hsmeta';

/**
 * The record cards; each entry file lives in extensions/app/cards/ next to its hsmeta file. A card has exactly one
 * location ("You can only specify one location value",
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensions/extension-points/app-cards/reference),
 * so each place a summary appears is its own card:
 * - crm.record.tab: the full card (history, charts, every action) in a middle-column tab;
 * - crm.record.sidebar: the compact summary in the record's right sidebar, where reps glance while they work;
 * - crm.preview: the contact summary again in the preview panel opened from lists, boards and association cards.
 */
interface CardRow {
  /** The hsmeta file name without -hsmeta.json. */
  file: string;
  uid: string;
  name: string;
  description: string;
  /** The entry file (extensions/app/cards/<entry>.tsx) that calls hubspot.extend for this location. */
  entry: string;
  location: CardHsmeta['config']['location'];
  objectType: CardHsmeta['config']['objectTypes'][number];
}

export const CARDS: readonly CardRow[] = [
  {
    file: 'contact-lifecycle',
    uid: 'contact_lifecycle_card',
    name: 'Lifecycle',
    description: 'Lifecycle stage, time in stage against its SLA, recycle and dead-end state, history and actions.',
    entry: 'ContactLifecycleCard',
    location: 'crm.record.tab',
    objectType: 'contacts',
  },
  {
    file: 'company-health',
    uid: 'company_health_card',
    name: 'Lifecycle health',
    description: 'Account health score with its weighted components, account stage and contacts per stage.',
    entry: 'CompanyHealthCard',
    location: 'crm.record.tab',
    objectType: 'companies',
  },
  {
    file: 'deal-impact',
    uid: 'deal_impact_card',
    name: 'Lifecycle impact',
    description: 'What winning or losing this deal does to its contacts and account.',
    entry: 'DealImpactCard',
    location: 'crm.record.tab',
    objectType: 'deals',
  },
  {
    file: 'contact-lifecycle-sidebar',
    uid: 'contact_lifecycle_sidebar_card',
    name: 'Lifecycle summary',
    description: 'Stage and path position, time in stage against its SLA, recycle or dead-end state and the one action worth taking.',
    entry: 'ContactLifecycleSidebarCard',
    location: 'crm.record.sidebar',
    objectType: 'contacts',
  },
  {
    file: 'company-health-sidebar',
    uid: 'company_health_sidebar_card',
    name: 'Lifecycle health summary',
    description: 'Health score, band and trend, account stage, contacts per stage and the weakest component.',
    entry: 'CompanyHealthSidebarCard',
    location: 'crm.record.sidebar',
    objectType: 'companies',
  },
  {
    file: 'deal-impact-sidebar',
    uid: 'deal_impact_sidebar_card',
    name: 'Lifecycle impact summary',
    description: 'What winning or losing this deal does, in two lines.',
    entry: 'DealImpactSidebarCard',
    location: 'crm.record.sidebar',
    objectType: 'deals',
  },
  {
    file: 'contact-lifecycle-preview',
    uid: 'contact_lifecycle_preview_card',
    name: 'Lifecycle summary',
    description: 'The contact lifecycle summary in the record preview panel.',
    entry: 'ContactLifecyclePreviewCard',
    location: 'crm.preview',
    objectType: 'contacts',
  },
];

export function cardHsmetas(): { file: string; hsmeta: CardHsmeta }[] {
  return CARDS.map((card) => ({
    file: card.file,
    hsmeta: {
      uid: card.uid,
      type: 'card',
      config: {
        name: card.name,
        description: card.description,
        location: card.location,
        entrypoint: `/app/cards/${card.entry}.tsx`,
        objectTypes: [card.objectType],
      },
    },
  }));
}
