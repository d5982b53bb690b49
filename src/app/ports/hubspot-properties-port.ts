import type { ObjectType } from '../../core';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

/** A HubSpot property definition, as we create it (Properties API shape). */
export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: 'enumeration' | 'datetime' | 'number' | 'string' | 'bool';
  fieldType: 'select' | 'date' | 'number' | 'text' | 'booleancheckbox';
  options?: PropertyOption[];
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder: number;
}

/** The part of HubSpot's Properties API that provisioning needs. */
export interface HubSpotPropertiesPort {
  /** Creates the group; false when it already existed (HubSpot answers 409). */
  createGroup(objectType: ObjectType, group: PropertyGroupDefinition): Promise<boolean>;
  /** Existing definitions among `names` (missing names are simply absent). */
  readProperties(objectType: ObjectType, names: string[]): Promise<Map<string, { options: PropertyOption[]; type: string }>>;
  createProperties(objectType: ObjectType, definitions: PropertyDefinition[]): Promise<void>;
  /** Replaces the option list (callers pass the merged list, so no option is ever removed). */
  updateOptions(objectType: ObjectType, name: string, options: PropertyOption[]): Promise<void>;
}
