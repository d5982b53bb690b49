import type { CompiledModel, Criterion } from '../core';
import type { WEBHOOK_OBJECT_TYPES } from './schemas/webhooks-hsmeta';

type WebhookObjectType = (typeof WEBHOOK_OBJECT_TYPES)[number];

/**
 * HubSpot properties the fact builder turns into events or reads besides the model's own criteria. A change to any
 * of them can move a record, so the webhooks subscribe to each (HubSpot has no wildcard property subscription).
 */
export const ACTIVITY_PROPERTIES: Readonly<Record<WebhookObjectType, readonly string[]>> = {
  contact: [
    'email',
    'lifecyclestage',
    'hubspot_owner_id',
    'hs_email_last_click_date',
    'hs_analytics_num_page_views',
    'recent_conversion_date',
    'num_associated_deals',
    'hs_latest_meeting_activity',
  ],
  company: ['domain', 'lifecyclestage', 'hubspot_owner_id', 'num_associated_deals', 'hs_is_target_account'],
  deal: ['dealstage', 'dealtype', 'closed_lost_reason', 'hubspot_owner_id'],
};

/**
 * Model properties that live on the company record; the fact builder merges the primary company's values into a
 * contact's facts, so a change must be watched on companies. Every other model property is a contact property.
 */
export const COMPANY_FACT_PROPERTIES: ReadonlySet<string> = new Set(['domain', 'hs_is_target_account']);

/** Every property a model's criteria and reason mappings read, sorted. */
export function propertiesReadByModel(model: CompiledModel): string[] {
  const names = new Set<string>([model.nativeProperty]);
  const collect = (criterion: Criterion): void => {
    if ('all' in criterion) criterion.all.forEach(collect);
    else if ('any' in criterion) criterion.any.forEach(collect);
    else if ('not' in criterion) collect(criterion.not);
    else if ('property' in criterion) names.add(criterion.property);
    else if ('score' in criterion) names.add(criterion.score.property);
  };
  collect(model.entry.when);
  for (const rules of model.rulesFrom.values()) rules.forEach((rule) => collect(rule.when));
  for (const rule of model.recycleRules) {
    collect(rule.when);
    if (rule.reengagement) collect(rule.reengagement.when);
    if (rule.reasonProperty) names.add(rule.reasonProperty);
  }
  model.deadEnd.rules.forEach((rule) => collect(rule.when));
  if (model.deadEnd.reasonProperty) names.add(model.deadEnd.reasonProperty);
  if (model.churn) collect(model.churn.when);
  return [...names].sort();
}

/** The property-change subscriptions per object type: the single list the webhooks file and the backend share. */
export function watchedProperties(model: CompiledModel): Record<WebhookObjectType, string[]> {
  const fromModel = propertiesReadByModel(model);
  const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
  return {
    contact: sorted([...ACTIVITY_PROPERTIES.contact, ...fromModel.filter((name) => !COMPANY_FACT_PROPERTIES.has(name))]),
    company: sorted([...ACTIVITY_PROPERTIES.company, ...fromModel.filter((name) => COMPANY_FACT_PROPERTIES.has(name))]),
    deal: sorted(ACTIVITY_PROPERTIES.deal),
  };
}
