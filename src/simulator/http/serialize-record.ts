import type { CrmRecord } from '../domain/crm-record';
import type { CrmService } from '../domain/crm-service';
import { DEFAULT_READ_PROPERTIES } from '../domain/default-properties';
import type { ObjectType } from '../domain/object-types';
import { resolveObjectType, singularName } from '../domain/object-types';
import { associationType } from '../domain/association-types';

export interface ReadShape {
  properties: string[];
  propertiesWithHistory?: string[];
  associations?: string[];
}

/**
 * HubSpot's SimplePublicObject(WithAssociations): requested properties (or the object's defaults) with null
 * for unset ones, history newest first, and v3-style associations `{results:[{id, type}]}`.
 */
export function serializeRecord(record: CrmRecord, shape: ReadShape, crm?: CrmService): Record<string, unknown> {
  const names = shape.properties.length > 0 ? [...new Set([...shape.properties, 'hs_object_id', 'createdate'])] : DEFAULT_READ_PROPERTIES[record.objectType];
  const body: Record<string, unknown> = {
    id: record.id,
    properties: Object.fromEntries(names.map((name) => [name, record.properties.get(name) ?? null])),
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archived,
    ...(record.archivedAt !== undefined ? { archivedAt: new Date(record.archivedAt).toISOString() } : {}),
  };
  if (shape.propertiesWithHistory && shape.propertiesWithHistory.length > 0) {
    body.propertiesWithHistory = Object.fromEntries(shape.propertiesWithHistory.map((name) => [name, record.history.get(name) ?? []]));
  }
  if (crm && shape.associations && shape.associations.length > 0) {
    const associations: Record<string, unknown> = {};
    for (const raw of shape.associations) {
      const to = resolveObjectType(raw);
      if (!to) continue;
      const results = v3Associations(crm, record.objectType, record.id, to);
      if (results.length > 0) associations[raw] = { results };
    }
    if (Object.keys(associations).length > 0) body.associations = associations;
  }
  return body;
}

function v3Associations(crm: CrmService, from: ObjectType, id: string, to: ObjectType): Array<{ id: string; type: string }> {
  return crm.associations.list(from, id, to).flatMap((edge) =>
    edge.typeIds.map((typeId) => {
      const spec = associationType(typeId);
      if (!spec) return { id: edge.toObjectId, type: String(typeId) };
      const base = `${singularName(spec.from)}_to_${singularName(spec.to)}`;
      // Pairs that also have a "Primary" type call their plain type "…_unlabeled" in v3 responses.
      const hasPrimary = [1, 2, 279, 280, 5, 6, 341, 342].includes(typeId);
      return { id: edge.toObjectId, type: hasPrimary && spec.label !== 'Primary' ? `${base}_unlabeled` : base };
    }),
  );
}

/** HubSpot's batch response: 200 when every input succeeded, 207 multi-status with `errors`/`numErrors` otherwise. */
export function batchEnvelope(startedAt: number, completedAt: number, results: unknown[], errors: unknown[]): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: new Date(startedAt).toISOString(),
    completedAt: new Date(completedAt).toISOString(),
  };
  if (errors.length === 0) return { status: 200, body };
  return { status: 207, body: { ...body, numErrors: errors.length, errors } };
}
