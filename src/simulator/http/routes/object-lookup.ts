import type { Request } from 'express';
import type { CrmRecord } from '../../domain/crm-record';
import type { CrmService } from '../../domain/crm-service';
import { HubSpotError, notFound } from '../../domain/hubspot-error';
import type { ObjectType } from '../../domain/object-types';
import { resolveObjectType } from '../../domain/object-types';

export function objectTypeParam(req: Request, name = 'objectType'): ObjectType {
  const raw = String(req.params[name] ?? '');
  const type = resolveObjectType(raw);
  if (!type) throw new HubSpotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
  return type;
}

/** Finds a record by id, or by a unique property when `idProperty` is given (e.g. email). */
export function locate(crm: CrmService, type: ObjectType, idOrValue: string, idProperty?: string, archived = false): CrmRecord | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return archived ? crm.findArchived(type, idOrValue) : crm.find(type, idOrValue);
  const wanted = idOrValue.toLowerCase();
  return crm.all(type, archived).find((r) => (r.properties.get(idProperty) ?? '').toLowerCase() === wanted);
}

export function requireRecord(crm: CrmService, type: ObjectType, idOrValue: string, idProperty?: string, archived = false): CrmRecord {
  const record = locate(crm, type, idOrValue, idProperty, archived);
  if (!record) throw notFound(`Object not found.  objectId are usually numeric.`, { id: [idOrValue] });
  return record;
}
