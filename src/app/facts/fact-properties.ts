import type { CompiledModel, Criterion } from '../../core';

/**
 * HubSpot contact properties that carry activity; each change is one dated event.
 * Names are HubSpot's default contact properties (hs_feedback_last_nps_rating: UNVERIFIED against a live portal).
 */
export const ACTIVITY_PROPERTIES = {
  emailClick: 'hs_email_last_click_date',
  siteVisit: 'hs_analytics_last_visit_timestamp',
  formName: 'recent_conversion_event_name',
  formDate: 'recent_conversion_date',
  meetingBooked: 'engagements_last_meeting_booked',
  npsRating: 'hs_feedback_last_nps_rating',
} as const;

/**
 * Properties whose webhooks announce one activity each (the page-view counter stands for the visit timestamp, which
 * is not subscribed). Two of them for one contact in one worker round mean the current values show only the latest.
 */
export const ACTIVITY_WEBHOOK_PROPERTIES: ReadonlySet<string> = new Set([
  'hs_analytics_num_page_views',
  ACTIVITY_PROPERTIES.siteVisit,
  ACTIVITY_PROPERTIES.emailClick,
  ACTIVITY_PROPERTIES.formDate,
  ACTIVITY_PROPERTIES.meetingBooked,
  'hs_latest_meeting_activity',
  ACTIVITY_PROPERTIES.npsRating,
]);

/** Properties whose value history becomes events (read with propertiesWithHistory the first time we see a record). */
export const HISTORY_PROPERTIES = [
  ACTIVITY_PROPERTIES.emailClick,
  ACTIVITY_PROPERTIES.siteVisit,
  ACTIVITY_PROPERTIES.formName,
  ACTIVITY_PROPERTIES.formDate,
  ACTIVITY_PROPERTIES.meetingBooked,
  ACTIVITY_PROPERTIES.npsRating,
];

const BASE_CONTACT_PROPERTIES = [
  'email',
  'createdate',
  'lastmodifieddate',
  'lifecyclestage',
  'hubspot_owner_id',
  'hs_lead_status',
  'num_associated_deals',
  'lc_stage',
  ...HISTORY_PROPERTIES,
];

export const DEAL_PROPERTIES = [
  'dealname',
  'dealstage',
  'dealtype',
  'pipeline',
  'amount',
  'createdate',
  'closedate',
  'hs_is_closed',
  'hs_is_closed_won',
  'closed_lost_reason',
  'lc_lost_reason',
];

function criterionProperties(c: Criterion, into: Set<string>): void {
  if ('all' in c) c.all.forEach((x) => criterionProperties(x, into));
  else if ('any' in c) c.any.forEach((x) => criterionProperties(x, into));
  else if ('not' in c) criterionProperties(c.not, into);
  else if ('property' in c) into.add(c.property);
  else if ('score' in c) into.add(c.score.property);
}

/** Every property the model's criteria read, so one batch read fetches all of them. */
export function modelProperties(model: CompiledModel): string[] {
  const names = new Set<string>();
  criterionProperties(model.entry.when, names);
  for (const rules of model.rulesFrom.values()) rules.forEach((r) => criterionProperties(r.when, names));
  for (const r of model.recycleRules) {
    criterionProperties(r.when, names);
    if (r.reengagement) criterionProperties(r.reengagement.when, names);
    if (r.reasonProperty) names.add(r.reasonProperty);
  }
  model.deadEnd.rules.forEach((r) => criterionProperties(r.when, names));
  if (model.deadEnd.reasonProperty) names.add(model.deadEnd.reasonProperty);
  if (model.churn) criterionProperties(model.churn.when, names);
  names.add(model.nativeProperty);
  return [...names];
}

export function contactReadProperties(model: CompiledModel): string[] {
  return [...new Set([...BASE_CONTACT_PROPERTIES, ...modelProperties(model)])].sort();
}
