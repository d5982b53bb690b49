import type { Request } from 'express';
import type { CrmRecord } from '../../domain/crm-record';
import type { CrmService } from '../../domain/crm-service';
import { SimulatedApiError, notFound } from '../../domain/simulated-api-error';
import type { ObjectType } from '../../domain/object-types';
import { resolveObjectType } from '../../domain/object-types';
import { comparable } from '../../domain/record-table';

export function objectTypeParam(req: Request, name = 'objectType'): ObjectType {
  const raw = String(req.params[name] ?? '');
  const type = resolveObjectType(raw);
  if (!type) throw new SimulatedApiError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
  return type;
}

/** Finds a record by id, or by a unique property when `idProperty` is given (e.g. email). */
export function locate(crm: CrmService, type: ObjectType, idOrValue: string, idProperty?: string, archived = false): CrmRecord | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return archived ? crm.findArchived(type, idOrValue) : crm.find(type, idOrValue);
  const wanted = idOrValue.toLowerCase();
  const matchesValue = (r: CrmRecord) => (r.properties.get(idProperty) ?? '').toLowerCase() === wanted;
  // Archived records are not indexed (and rarely looked up); active ones come from the property's index.
  if (archived) return crm.all(type, true).find(matchesValue);
  const table = crm.table(type);
  const def = crm.definition(type, idProperty);
  const key = { key: comparable(def?.type, idOrValue), inclusive: true };
  for (const id of table.indexOf(idProperty, def).range(key, key)) {
    const record = table.get(String(id));
    if (record && matchesValue(record)) return record;
  }
  return undefined;
}

export function requireRecord(crm: CrmService, type: ObjectType, idOrValue: string, idProperty?: string, archived = false): CrmRecord {
  const record = locate(crm, type, idOrValue, idProperty, archived);
  if (!record) throw notFound(`Object not found.  objectId are usually numeric.`, { id: [idOrValue] });
  return record;
}
