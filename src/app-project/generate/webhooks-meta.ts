import type { CompiledModel } from '../../core';
import type { AppConfig } from '../app-config';
import { WEBHOOK_OBJECT_TYPES, type CrmObjectSubscription, type WebhooksHsmeta } from '../schemas/webhooks-hsmeta';
import { watchedProperties } from '../watched-properties';
import { WEBHOOK_PATH } from '../../contracts/backend-routes';

/** Record lifecycle events the engine reacts to, beyond property changes. */
const RECORD_EVENTS = ['object.creation', 'object.deletion', 'object.merge', 'object.associationChange'] as const;

export function webhooksHsmeta(config: AppConfig, model: CompiledModel, appUid: string): WebhooksHsmeta {
  const watched = watchedProperties(model);
  const crmObjects: CrmObjectSubscription[] = WEBHOOK_OBJECT_TYPES.flatMap((objectType) => [
    ...RECORD_EVENTS.map((subscriptionType) => ({ subscriptionType, objectType, active: true })),
    ...watched[objectType].map((propertyName) => ({
      subscriptionType: 'object.propertyChange' as const,
      objectType,
      propertyName,
      active: true,
    })),
  ]);
  return {
    uid: `${appUid}_webhooks`,
    type: 'webhooks',
    config: {
      settings: { targetUrl: `${config.backendUrl}${WEBHOOK_PATH}`, maxConcurrentRequests: config.webhooks.maxConcurrentRequests },
      // GDPR deletion must erase the record's ledger rows too.
      subscriptions: { crmObjects, hubEvents: [{ subscriptionType: 'contact.privacyDeletion', active: true }] },
    },
  };
}
