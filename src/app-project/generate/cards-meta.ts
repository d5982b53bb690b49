import type { CardHsmeta } from '../schemas/card-hsmeta';

/** The three record cards; each entry file lives in extensions/app/cards/ next to its hsmeta file. */
export const CARDS = [
  {
    file: 'contact-lifecycle',
    uid: 'contact_lifecycle_card',
    name: 'Lifecycle',
    description: 'Lifecycle stage, time in stage against its SLA, recycle and dead-end state, history and actions.',
    entry: 'ContactLifecycleCard',
    objectType: 'contacts',
  },
  {
    file: 'company-health',
    uid: 'company_health_card',
    name: 'Lifecycle health',
    description: 'Account health score with its weighted components, account stage and contacts per stage.',
    entry: 'CompanyHealthCard',
    objectType: 'companies',
  },
  {
    file: 'deal-impact',
    uid: 'deal_impact_card',
    name: 'Lifecycle impact',
    description: 'What winning or losing this deal does to its contacts and account.',
    entry: 'DealImpactCard',
    objectType: 'deals',
  },
] as const;

export function cardHsmetas(): { file: string; hsmeta: CardHsmeta }[] {
  return CARDS.map((card) => ({
    file: card.file,
    hsmeta: {
      uid: card.uid,
      type: 'card',
      config: {
        name: card.name,
        description: card.description,
        location: 'crm.record.tab',
        entrypoint: `/app/cards/${card.entry}.tsx`,
        objectTypes: [card.objectType],
      },
    },
  }));
}
