/**
 * The CRM object types the simulator serves, with every alias HubSpot accepts in a path
 * (plural name, singular name, objectTypeId).
 */
export const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'tasks', 'notes'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const OBJECT_TYPE_IDS: Record<ObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tasks: '0-27',
  notes: '0-46',
};

const SINGULAR: Record<ObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tasks: 'task',
  notes: 'note',
};

const ALIASES = new Map<string, ObjectType>(
  OBJECT_TYPES.flatMap((type) => [
    [type, type],
    [SINGULAR[type], type],
    [OBJECT_TYPE_IDS[type], type],
  ]),
);

/** Resolves `contacts`, `contact`, `CONTACT` or `0-1`; undefined for anything the simulator does not serve. */
export function resolveObjectType(raw: string): ObjectType | undefined {
  return ALIASES.get(raw.toLowerCase());
}

export function singularName(type: ObjectType): string {
  return SINGULAR[type];
}
