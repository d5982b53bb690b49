import type { ObjectType } from './object-types';
import type { PropertyDefinition, PropertyGroup, PropertyOption, PropertyType } from './property-types';

/**
 * The HubSpot-defined properties each object type starts with: the ones the lifecycle engine reads or writes.
 * Names are HubSpot's internal names; the few marked UNVERIFIED in docs/simulator.md were picked from public
 * code and could not be checked against a live portal.
 */
export const DEFAULT_LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] as const;

export const DEFAULT_DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'] as const;

const FIELD_TYPE: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  enumeration: 'select',
  bool: 'booleancheckbox',
  datetime: 'date',
  date: 'date',
  phone_number: 'phonenumber',
};

export function toOptions(values: readonly string[], labels: Record<string, string> = {}): PropertyOption[] {
  return values.map((value, displayOrder) => ({ label: labels[value] ?? value, value, displayOrder, hidden: false }));
}

type Spec = [name: string, type: PropertyType, extra?: Partial<PropertyDefinition>];

const READ_ONLY = { readOnlyValue: true, calculated: true } as const;
const BOOL_OPTIONS = { options: toOptions(['true', 'false'], { true: 'Yes', false: 'No' }) };

const SYSTEM: Spec[] = [
  ['hs_object_id', 'number', READ_ONLY],
  ['createdate', 'datetime', { readOnlyValue: true }],
];

const SPECS: Record<ObjectType, Spec[]> = {
  contacts: [
    ...SYSTEM,
    ['lastmodifieddate', 'datetime', { readOnlyValue: true }],
    ['email', 'string', { hasUniqueValue: true }],
    ['firstname', 'string'],
    ['lastname', 'string'],
    ['company', 'string'],
    ['jobtitle', 'string'],
    ['hubspot_owner_id', 'enumeration', { externalOptions: true }],
    // HubSpot score: calculated by the portal's scoring rules; writable here so tests can set it.
    ['hubspotscore', 'number'],
    ['hs_email_hard_bounce_reason_enum', 'enumeration', { options: toOptions(['BOUNCED', 'SPAM', 'UNKNOWN_USER', 'MAILBOX_FULL', 'OTHER']) }],
    ['hs_lead_status', 'enumeration', { options: toOptions(['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']) }],
    ['hs_email_last_click_date', 'datetime', { readOnlyValue: true }],
    ['hs_analytics_num_page_views', 'number', { readOnlyValue: true }],
    ['hs_analytics_last_visit_timestamp', 'datetime', { readOnlyValue: true }],
    ['recent_conversion_event_name', 'string', { readOnlyValue: true }],
    ['recent_conversion_date', 'datetime', { readOnlyValue: true }],
    ['num_conversion_events', 'number', { readOnlyValue: true }],
    ['engagements_last_meeting_booked', 'datetime', { readOnlyValue: true }],
    ['hs_latest_meeting_activity', 'datetime', { readOnlyValue: true }],
    ['num_associated_deals', 'number', READ_ONLY],
    ['hs_feedback_last_nps_rating', 'number', { readOnlyValue: true }],
    ['hs_feedback_last_nps_follow_up', 'string', { readOnlyValue: true }],
    // Not a HubSpot property: the simulator's record of which kind of form converted (demo/lifecycle rules).
    ['lc_last_form_kind', 'string', { readOnlyValue: true, hubspotDefined: false }],
  ],
  companies: [
    ...SYSTEM,
    ['hs_lastmodifieddate', 'datetime', { readOnlyValue: true }],
    ['name', 'string'],
    ['domain', 'string', { hasUniqueValue: true }],
    ['hs_is_target_account', 'bool', BOOL_OPTIONS],
    ['industry', 'string'],
    ['hubspot_owner_id', 'enumeration', { externalOptions: true }],
    ['num_associated_contacts', 'number', READ_ONLY],
    ['num_associated_deals', 'number', READ_ONLY],
  ],
  deals: [
    ...SYSTEM,
    ['hs_lastmodifieddate', 'datetime', { readOnlyValue: true }],
    ['dealname', 'string'],
    ['amount', 'number'],
    ['pipeline', 'enumeration', { options: toOptions(['default'], { default: 'Sales Pipeline' }) }],
    ['dealstage', 'enumeration', { options: toOptions(DEFAULT_DEAL_STAGES) }],
    ['closedate', 'datetime'],
    ['closed_lost_reason', 'string'],
    ['dealtype', 'enumeration', { options: toOptions(['newbusiness', 'existingbusiness'], { newbusiness: 'New Business', existingbusiness: 'Existing Business' }) }],
    ['hs_is_closed_won', 'bool', { ...BOOL_OPTIONS, ...READ_ONLY }],
    ['hs_is_closed', 'bool', { ...BOOL_OPTIONS, ...READ_ONLY }],
    ['hubspot_owner_id', 'enumeration', { externalOptions: true }],
  ],
  tasks: [
    ...SYSTEM,
    ['hs_lastmodifieddate', 'datetime', { readOnlyValue: true }],
    ['hs_timestamp', 'datetime'],
    ['hs_task_subject', 'string'],
    ['hs_task_body', 'string'],
    ['hs_task_status', 'enumeration', { options: toOptions(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']) }],
    ['hs_task_priority', 'enumeration', { options: toOptions(['NONE', 'LOW', 'MEDIUM', 'HIGH']) }],
    ['hs_task_type', 'enumeration', { options: toOptions(['TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING']) }],
    ['hubspot_owner_id', 'enumeration', { externalOptions: true }],
  ],
  notes: [
    ...SYSTEM,
    ['hs_lastmodifieddate', 'datetime', { readOnlyValue: true }],
    ['hs_timestamp', 'datetime'],
    ['hs_note_body', 'string'],
    ['hubspot_owner_id', 'enumeration', { externalOptions: true }],
  ],
};

/** Objects that carry `lifecyclestage` (deals use `dealstage` in pipelines instead). */
export const LIFECYCLE_OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'companies'];

export const DEFAULT_GROUP: Record<ObjectType, string> = {
  contacts: 'contactinformation',
  companies: 'companyinformation',
  deals: 'dealinformation',
  tasks: 'task',
  notes: 'note',
};

export function defaultGroups(type: ObjectType): PropertyGroup[] {
  return [{ name: DEFAULT_GROUP[type], label: `${DEFAULT_GROUP[type]}`, displayOrder: -1, archived: false }];
}

export function definition(type: ObjectType, name: string, propertyType: PropertyType, at: string, extra: Partial<PropertyDefinition> = {}): PropertyDefinition {
  return {
    name,
    label: name,
    type: propertyType,
    fieldType: FIELD_TYPE[propertyType],
    groupName: DEFAULT_GROUP[type],
    description: '',
    options: [],
    displayOrder: -1,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    hubspotDefined: true,
    formField: false,
    readOnlyValue: false,
    createdAt: at,
    updatedAt: at,
    archived: false,
    ...extra,
  };
}

export function defaultProperties(type: ObjectType, lifecycleStages: PropertyOption[], at: string): PropertyDefinition[] {
  const specs = SPECS[type].map(([name, propertyType, extra]) => definition(type, name, propertyType, at, extra));
  if (LIFECYCLE_OBJECT_TYPES.includes(type)) {
    specs.push(definition(type, 'lifecyclestage', 'enumeration', at, { label: 'Lifecycle Stage', fieldType: 'radio', options: lifecycleStages }));
  }
  return specs;
}

/** Properties returned by reads that name none (HubSpot's per-object defaults). */
export const DEFAULT_READ_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  tasks: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Contacts keep `lastmodifieddate`; every other object keeps `hs_lastmodifieddate`. */
export function lastModifiedProperty(type: ObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}
