import type { CrmChange } from '../domain/crm-change';
import type { ObjectType } from '../domain/object-types';
import { resolveObjectType } from '../domain/object-types';
import type { WebhooksConfig } from './webhook-config';

/** A declared subscription with the id HubSpot would have assigned it. */
export interface Subscription {
  subscriptionId: number;
  subscriptionType: string;
  objectType: ObjectType;
  propertyName?: string;
  /** Legacy `contact.propertyChange`-style types omit objectTypeId in their events. */
  legacy: boolean;
  action: 'creation' | 'propertyChange' | 'deletion' | 'merge' | 'restore' | 'associationChange' | 'privacyDeletion';
}

export function compileSubscriptions(config: WebhooksConfig, firstId: number): Subscription[] {
  let next = firstId;
  const out: Subscription[] = [];
  for (const s of config.subscriptions.crmObjects) {
    const objectType = resolveObjectType(s.objectType);
    if (!s.active || !objectType) continue;
    const action = s.subscriptionType.slice('object.'.length) as Subscription['action'];
    out.push({ subscriptionId: next++, subscriptionType: s.subscriptionType, objectType, action, legacy: false, ...(s.propertyName ? { propertyName: s.propertyName } : {}) });
  }
  for (const s of config.subscriptions.legacyCrmObjects) {
    const [singular, action] = s.subscriptionType.split('.') as [string, Subscription['action']];
    const objectType = resolveObjectType(singular);
    if (!s.active || !objectType) continue;
    out.push({ subscriptionId: next++, subscriptionType: s.subscriptionType, objectType, action, legacy: true, ...(s.propertyName ? { propertyName: s.propertyName } : {}) });
  }
  for (const s of config.subscriptions.hubEvents) {
    if (s.active) out.push({ subscriptionId: next++, subscriptionType: s.subscriptionType, objectType: 'contacts', action: 'privacyDeletion', legacy: true });
  }
  return out;
}

export function subscriptionsFor(change: CrmChange, subscriptions: readonly Subscription[]): Subscription[] {
  return subscriptions.filter((s) => s.objectType === change.objectType && s.action === change.kind && (change.kind !== 'propertyChange' || s.propertyName === change.propertyName));
}
