import type { ObjectType } from './object-types';

/**
 * HubSpot-defined association type ids (associations v4, category HUBSPOT_DEFINED), from
 * @hubspot/api-client `AssociationTypes` and docs/hubspot-platform.md §5. Each entry names its inverse.
 */
export interface AssociationTypeSpec {
  typeId: number;
  from: ObjectType;
  to: ObjectType;
  inverse: number;
  label: string | null;
  /** The type `associations/default` creates. */
  isDefault: boolean;
}

const pair = (from: ObjectType, to: ObjectType, typeId: number, inverse: number, label: string | null, isDefault: boolean): AssociationTypeSpec[] => [
  { typeId, from, to, inverse, label, isDefault },
  { typeId: inverse, from: to, to: from, inverse: typeId, label, isDefault },
];

export const ASSOCIATION_TYPES: readonly AssociationTypeSpec[] = [
  ...pair('contacts', 'companies', 1, 2, 'Primary', false),
  ...pair('contacts', 'companies', 279, 280, null, true),
  ...pair('deals', 'companies', 5, 6, 'Primary', false),
  ...pair('deals', 'companies', 341, 342, null, true),
  ...pair('contacts', 'deals', 4, 3, null, true),
  ...pair('tasks', 'contacts', 204, 203, null, true),
  ...pair('tasks', 'companies', 192, 191, null, true),
  ...pair('tasks', 'deals', 216, 215, null, true),
  ...pair('notes', 'contacts', 202, 201, null, true),
  ...pair('notes', 'companies', 190, 189, null, true),
  ...pair('notes', 'deals', 214, 213, null, true),
];

export function associationType(typeId: number): AssociationTypeSpec | undefined {
  return ASSOCIATION_TYPES.find((t) => t.typeId === typeId);
}

export function defaultAssociationType(from: ObjectType, to: ObjectType): AssociationTypeSpec | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.isDefault);
}
