import { LC_PROPERTIES, TRANSITION_KINDS, transitionKindLabel, type CompiledModel, type ObjectType } from '../../core';
import type { PropertyDefinition, PropertyGroupDefinition, PropertyOption } from '../ports/hubspot-properties-port';

export const PROPERTY_GROUP: PropertyGroupDefinition = { name: 'lifecycle_engine', label: 'Lifecycle engine', displayOrder: -1 };

/** Properties admins and forms may set to steer the engine (the model's reason properties). */
export const REQUEST_PROPERTIES = { deadEndRequest: 'lc_dead_end_request', churned: 'lc_churned', lostReason: 'lc_lost_reason' } as const;

const options = (items: Array<{ value: string; label: string }>): PropertyOption[] =>
  items.map((item, displayOrder) => ({ label: item.label, value: item.value, displayOrder, hidden: false }));

/**
 * What `lifecycle provision` creates, derived from the model so option lists never drift from the stages and
 * reasons the engine writes. Pure: the use case compares it with what the portal has.
 */
export function propertyPlan(model: CompiledModel): Array<{ objectType: ObjectType; properties: PropertyDefinition[] }> {
  const group = PROPERTY_GROUP.name;
  const stageOptions = options([...model.stages].sort((a, b) => a.order - b.order).map((s) => ({ value: s.id, label: s.label })));
  const recycleReasons = options(model.recycleReasons.map((r) => ({ value: r.code, label: r.label })));
  const deadEndReasons = options(model.deadEnd.reasons.map((r) => ({ value: r.code, label: r.label })));
  const enumeration = (name: string, label: string, description: string, opts: PropertyOption[]): PropertyDefinition => ({
    name,
    label,
    description,
    groupName: group,
    type: 'enumeration',
    fieldType: 'select',
    options: opts,
  });
  const datetime = (name: string, label: string, description: string): PropertyDefinition => ({ name, label, description, groupName: group, type: 'datetime', fieldType: 'date' });

  const recordProperties: PropertyDefinition[] = [
    enumeration(LC_PROPERTIES.stage, 'Lifecycle stage (engine)', 'Current stage decided by the lifecycle engine, including Recycle, Dead end and Churned.', stageOptions),
    datetime(LC_PROPERTIES.stageEnteredAt, 'Lifecycle stage entered at', 'When the record entered its current engine stage.'),
    enumeration(LC_PROPERTIES.previousStage, 'Previous lifecycle stage (engine)', 'The stage before the current one.', stageOptions),
    enumeration(
      LC_PROPERTIES.lastTransitionKind,
      'Last lifecycle transition',
      'How the record reached its current stage.',
      options(TRANSITION_KINDS.map((k) => ({ value: k, label: transitionKindLabel(k) }))),
    ),
    enumeration(LC_PROPERTIES.recycleReason, 'Recycle reason', 'Why the record was last recycled.', recycleReasons),
    { name: LC_PROPERTIES.recycleCount, label: 'Recycle count', description: 'How many times the record was recycled.', groupName: group, type: 'number', fieldType: 'number' },
    datetime(LC_PROPERTIES.marketingPausedUntil, 'Marketing email paused until', 'Exclude from marketing email while this date is in the future (recycle pause).'),
    enumeration(LC_PROPERTIES.deadEndReason, 'Dead-end reason', 'Why the record can never buy.', deadEndReasons),
    enumeration(REQUEST_PROPERTIES.deadEndRequest, 'Mark as dead end', 'Set to move the record to Dead end with this reason.', deadEndReasons),
    {
      name: REQUEST_PROPERTIES.churned,
      label: 'Customer churned',
      description: 'Set when the customer is lost.',
      groupName: group,
      type: 'bool',
      fieldType: 'booleancheckbox',
      options: options([
        { value: 'true', label: 'Yes' },
        { value: 'false', label: 'No' },
      ]),
    },
  ];
  return [
    { objectType: 'contact', properties: recordProperties },
    { objectType: 'company', properties: recordProperties },
    {
      objectType: 'deal',
      properties: [enumeration(REQUEST_PROPERTIES.lostReason, 'Lost reason (lifecycle)', 'Structured lost reason; feeds the Recycle B reason.', recycleReasons)],
    },
  ];
}
