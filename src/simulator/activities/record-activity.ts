import type { CrmService } from '../domain/crm-service';
import type { WriteSource } from '../domain/crm-record';
import type { ActivityLog, Activity } from './activity-log';
import type { ActivityFact, ActivityFactInput } from './activity-facts';
import { activityFactSchema } from './activity-facts';

export interface ActivityOutcome {
  activities: Activity[];
  /** The deal a `deal_created` fact created. */
  dealId?: string;
}

const source = (changeSource: string): WriteSource => ({ sourceType: changeSource, changeSource });

/**
 * Applies one activity fact: a timestamped activity on the record(s) and the HubSpot properties HubSpot itself
 * would update (property names: docs/simulator.md, several UNVERIFIED). Counters are incremented, dates set.
 */
export function recordActivity(crm: CrmService, log: ActivityLog, input: ActivityFactInput, now: number): ActivityOutcome {
  const fact: ActivityFact = activityFactSchema.parse(input);
  const at = new Date(fact.at ?? now).toISOString();
  const { kind, at: _at, ...details } = fact;
  const note = (objectType: 'contacts' | 'deals', objectId: string, extra: Record<string, unknown> = {}) =>
    log.add({ kind, objectType, objectId, occurredAt: at, details: { ...details, ...extra } });
  const counter = (contactId: string, name: string) => String(Number(crm.require('contacts', contactId).properties.get(name) ?? '0') + 1);

  switch (fact.kind) {
    case 'email_click':
      crm.systemUpdate('contacts', fact.contactId, { hs_email_last_click_date: at }, source('EMAIL'));
      return { activities: [note('contacts', fact.contactId)] };
    case 'page_view':
      crm.systemUpdate(
        'contacts',
        fact.contactId,
        { hs_analytics_num_page_views: counter(fact.contactId, 'hs_analytics_num_page_views'), hs_analytics_last_visit_timestamp: at },
        source('ANALYTICS'),
      );
      return { activities: [note('contacts', fact.contactId)] };
    case 'form_submission':
      crm.systemUpdate(
        'contacts',
        fact.contactId,
        {
          recent_conversion_event_name: fact.formName ?? fact.formKind,
          recent_conversion_date: at,
          num_conversion_events: counter(fact.contactId, 'num_conversion_events'),
          lc_last_form_kind: fact.formKind,
        },
        source('FORM'),
      );
      return { activities: [note('contacts', fact.contactId)] };
    case 'meeting_booked':
      crm.systemUpdate('contacts', fact.contactId, { engagements_last_meeting_booked: at, hs_latest_meeting_activity: at }, source('MEETINGS'));
      return { activities: [note('contacts', fact.contactId)] };
    case 'nps_answer':
      crm.systemUpdate(
        'contacts',
        fact.contactId,
        { hs_feedback_last_nps_rating: String(fact.rating), ...(fact.comment ? { hs_feedback_last_nps_follow_up: fact.comment } : {}) },
        source('FEEDBACK'),
      );
      return { activities: [note('contacts', fact.contactId)] };
    case 'deal_created': {
      crm.require('contacts', fact.contactId);
      const deal = crm.create(
        'deals',
        {
          dealname: fact.dealname,
          dealstage: fact.dealstage,
          pipeline: 'default',
          ...(fact.amount !== undefined ? { amount: String(fact.amount) } : {}),
          ...(fact.dealtype !== undefined ? { dealtype: fact.dealtype } : {}),
        },
        [{ toId: fact.contactId, typeIds: [3] }],
        source('CRM_UI'),
      );
      return { dealId: deal.id, activities: [note('deals', deal.id, { contactId: fact.contactId }), note('contacts', fact.contactId, { dealId: deal.id })] };
    }
    case 'deal_stage_changed': {
      crm.require('deals', fact.dealId);
      const closing: Record<string, string> =
        fact.dealstage === 'closedwon'
          ? { hs_is_closed_won: 'true', hs_is_closed: 'true', closedate: at }
          : fact.dealstage === 'closedlost'
            ? { hs_is_closed_won: 'false', hs_is_closed: 'true', closedate: at, closed_lost_reason: fact.lostReason ?? '' }
            : { hs_is_closed_won: 'false', hs_is_closed: 'false' };
      crm.systemUpdate('deals', fact.dealId, { dealstage: fact.dealstage, ...closing }, source('CRM_UI'));
      const contacts = crm.associations.list('deals', fact.dealId, 'contacts').map((edge) => edge.toObjectId);
      return { activities: [note('deals', fact.dealId), ...contacts.map((contactId) => note('contacts', contactId, { dealId: fact.dealId }))] };
    }
  }
}
