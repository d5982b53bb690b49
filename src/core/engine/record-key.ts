import { ObjectTypeSchema, type ObjectType } from './state';

/** One record of the lifecycle: the same id may exist as a contact and as a company, and those are two records. */
export interface RecordKey {
  objectType: ObjectType;
  objectId: string;
}

/** `contact:101`: the one string form of a record key, how the ports and the use cases key their per-record maps. */
export function recordKeyString(key: RecordKey): string {
  return `${key.objectType}:${key.objectId}`;
}

/** The inverse of `recordKeyString`; the object id may itself contain colons. Throws on a string it did not make. */
export function parseRecordKeyString(s: string): RecordKey {
  const colon = s.indexOf(':');
  const objectType = ObjectTypeSchema.safeParse(colon < 0 ? '' : s.slice(0, colon));
  if (!objectType.success) throw new Error(`"${s}" is not a record key (objectType:objectId)`);
  return { objectType: objectType.data, objectId: s.slice(colon + 1) };
}
