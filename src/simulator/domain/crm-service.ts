import type { AssociationTypeSpec } from './association-types';
import { associationType } from './association-types';
import { AssociationStore } from './association-store';
import type { ChangeListener } from './crm-change';
import type { CrmRecord, WriteSource } from './crm-record';
import { CALCULATED_WRITE } from './crm-record';
import { LIFECYCLE_OBJECT_TYPES, lastModifiedProperty } from './default-properties';
import type { ErrorDetail } from './simulated-api-error';
import { SimulatedApiError, notFound, validationError } from './simulated-api-error';
import { decideLifecycleWrite, stageCalculatedUpdates } from './lifecycle-stage';
import type { ObjectType } from './object-types';
import { OBJECT_TYPES } from './object-types';
import type { PropertyRegistry } from './property-registry';
import { checkPropertyValue } from './property-values';
import { RecordTable } from './record-table';

export interface AssociationInput {
  toId: string;
  typeIds: number[];
}

export interface CrmServiceDeps {
  clock: () => number;
  registry: PropertyRegistry;
  onChange: ChangeListener;
  /** Fault injection: a validation message for ids scripted to fail, else undefined. */
  itemFailure: (type: ObjectType, id: string | undefined) => string | undefined;
}

/**
 * One portal's CRM records and the HubSpot rules around writing them: property validation, system
 * properties, history, forward-only lifecycle stage with stage-calculated dates, and association counters.
 * Every accepted change is reported to `onChange` (webhooks).
 */
export class CrmService {
  readonly associations = new AssociationStore();
  private readonly tables = new Map<ObjectType, RecordTable>(OBJECT_TYPES.map((t) => [t, new RecordTable()]));
  private nextId = 1001;

  constructor(private readonly deps: CrmServiceDeps) {}

  create(type: ObjectType, properties: Record<string, unknown>, associations: AssociationInput[], source: WriteSource): CrmRecord {
    this.rejectScripted(type, undefined, properties);
    const values = this.validate(type, properties, source);
    const specs = associations.map((a) => ({ toId: a.toId, specs: a.typeIds.map((id) => this.associationSpec(type, id)) }));
    for (const a of specs) for (const spec of a.specs) this.require(spec.to, a.toId);

    const now = this.deps.clock();
    const id = String(this.nextId++);
    const record: CrmRecord = { id, objectType: type, createdAt: now, updatedAt: now, archived: false, properties: new Map(), history: new Map() };
    this.table(type).add(record);
    this.deps.onChange({ kind: 'creation', objectType: type, objectId: id, occurredAt: now, changeSource: source.changeSource, ...(source.sourceId ? { sourceId: source.sourceId } : {}) });
    const iso = new Date(now).toISOString();
    this.writeValues(record, { hs_object_id: id, createdate: iso, [lastModifiedProperty(type)]: iso }, CALCULATED_WRITE, now, false);
    this.applyValues(record, values, source, now);
    for (const a of specs) for (const spec of a.specs) this.associate(spec, id, a.toId);
    return record;
  }

  update(type: ObjectType, id: string, properties: Record<string, unknown>, source: WriteSource): CrmRecord {
    const record = this.require(type, id);
    this.rejectScripted(type, id, properties);
    const values = this.validate(type, properties, source);
    this.applyValues(record, values, source, this.deps.clock());
    return record;
  }

  /** Writes values the simulator itself maintains (activity facts); skips the read-only check. */
  systemUpdate(type: ObjectType, id: string, properties: Record<string, string>, source: WriteSource): CrmRecord {
    const record = this.require(type, id);
    this.applyValues(record, this.validate(type, properties, { ...source, sourceType: 'SYSTEM' }), source, this.deps.clock());
    return record;
  }

  archive(type: ObjectType, id: string, changeSource = 'API', privacy = false): void {
    const record = this.find(type, id);
    if (!record) return; // HubSpot answers 204 for an id that is already gone.
    const now = this.deps.clock();
    this.table(type).archiving(record);
    record.archived = true;
    record.archivedAt = now;
    for (const removed of this.associations.detach(type, id, OBJECT_TYPES)) this.refreshCounters(removed.to, removed.toId);
    if (privacy) this.deps.onChange({ kind: 'privacyDeletion', objectType: type, objectId: id, occurredAt: now, changeSource });
    this.deps.onChange({ kind: 'deletion', objectType: type, objectId: id, occurredAt: now, changeSource });
  }

  /** Merges `mergedId` into `primaryId`: the merged record is archived and its associations move over. */
  merge(type: ObjectType, primaryId: string, mergedId: string): CrmRecord {
    const primary = this.require(type, primaryId);
    this.require(type, mergedId);
    for (const to of OBJECT_TYPES) {
      for (const edge of this.associations.list(type, mergedId, to)) {
        for (const typeId of edge.typeIds) this.associate(this.associationSpec(type, typeId), primaryId, edge.toObjectId);
      }
    }
    this.archive(type, mergedId, 'API');
    this.deps.onChange({ kind: 'merge', objectType: type, objectId: primaryId, mergedObjectIds: [mergedId], occurredAt: this.deps.clock(), changeSource: 'API' });
    return primary;
  }

  find(type: ObjectType, id: string): CrmRecord | undefined {
    const record = this.table(type).get(id);
    return record && !record.archived ? record : undefined;
  }

  require(type: ObjectType, id: string): CrmRecord {
    const record = this.find(type, id);
    if (!record) throw notFound(`Object not found. objectId are usually numeric. (${type} ${id})`, { id: [id] });
    return record;
  }

  findArchived(type: ObjectType, id: string): CrmRecord | undefined {
    const record = this.table(type).get(id);
    return record?.archived ? record : undefined;
  }

  all(type: ObjectType, archived = false): CrmRecord[] {
    return [...this.table(type).values()].filter((r) => r.archived === archived);
  }

  definition(type: ObjectType, name: string) {
    return this.deps.registry.find(type, name);
  }

  /** One object type's records with their search indexes. */
  table(type: ObjectType): RecordTable {
    return this.tables.get(type) as RecordTable;
  }

  associate(spec: AssociationTypeSpec, fromId: string, toId: string): void {
    this.require(spec.from, fromId);
    this.require(spec.to, toId);
    const added = this.associations.add(spec, fromId, toId);
    this.refreshCounters(spec.from, fromId);
    this.refreshCounters(spec.to, toId);
    if (added) this.reportAssociation(spec, fromId, toId, false);
  }

  dissociate(from: ObjectType, fromId: string, to: ObjectType, toId: string): void {
    const removed = this.associations.removeAll(from, fromId, to, toId);
    this.refreshCounters(from, fromId);
    this.refreshCounters(to, toId);
    const spec = removed.map(associationType).find((s) => s !== undefined);
    if (spec) this.reportAssociation(spec, fromId, toId, true);
  }

  associationSpec(from: ObjectType, typeId: number): AssociationTypeSpec {
    const spec = associationType(typeId);
    if (!spec || spec.from !== from) throw validationError(`associationTypeId ${typeId} is not a HUBSPOT_DEFINED association from ${from}`);
    return spec;
  }

  private reportAssociation(spec: AssociationTypeSpec, fromId: string, toId: string, removed: boolean): void {
    this.deps.onChange({
      kind: 'associationChange',
      objectType: spec.from,
      objectId: fromId,
      toObjectType: spec.to,
      toObjectId: toId,
      associationTypeId: spec.typeId,
      associationRemoved: removed,
      occurredAt: this.deps.clock(),
      changeSource: 'API',
    });
  }

  /** num_associated_deals (contacts, companies) and num_associated_contacts (companies) follow associations. */
  private refreshCounters(type: ObjectType, id: string): void {
    const record = this.find(type, id);
    if (!record) return;
    const counters: Record<string, string> = {};
    if (type === 'contacts' || type === 'companies') counters.num_associated_deals = String(this.associations.count(type, id, 'deals'));
    if (type === 'companies') counters.num_associated_contacts = String(this.associations.count(type, id, 'contacts'));
    this.writeValues(record, counters, CALCULATED_WRITE, this.deps.clock(), true);
  }

  private rejectScripted(type: ObjectType, id: string | undefined, properties: Record<string, unknown>): void {
    const candidates = [id, typeof properties.email === 'string' ? properties.email : undefined];
    for (const candidate of candidates) {
      const message = candidate === undefined ? undefined : this.deps.itemFailure(type, candidate);
      if (message) throw validationError(message, [{ message, code: 'INVALID_INPUT', context: { id: [candidate as string] } }]);
    }
  }

  private validate(type: ObjectType, properties: Record<string, unknown>, source: WriteSource): Record<string, string> {
    const errors: ErrorDetail[] = [];
    const values: Record<string, string> = {};
    for (const [name, raw] of Object.entries(properties)) {
      const def = this.deps.registry.find(type, name);
      if (!def) {
        errors.push({ message: `Property "${name}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [name] } });
        continue;
      }
      if (def.readOnlyValue && source.sourceType !== 'SYSTEM') {
        errors.push({ message: `"${name}" is a read only property; its value cannot be set.`, code: 'READ_ONLY_VALUE', context: { propertyName: [name] } });
        continue;
      }
      const check = checkPropertyValue(def, raw);
      if (check.ok) values[name] = check.value;
      else errors.push({ message: check.message, code: check.code, context: { propertyName: [name] } });
    }
    if (errors.length > 0) {
      const summary = errors.map((e) => ({ isValid: false, message: e.message, error: e.code, name: e.context?.propertyName?.[0] }));
      throw new SimulatedApiError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(summary)}`, { errors });
    }
    return values;
  }

  private applyValues(record: CrmRecord, values: Record<string, string>, source: WriteSource, at: number): void {
    const accepted = { ...values };
    if ('lifecyclestage' in accepted && LIFECYCLE_OBJECT_TYPES.includes(record.objectType)) {
      const previous = record.properties.get('lifecyclestage') ?? '';
      const next = accepted.lifecyclestage;
      const order = this.deps.registry.lifecycleStages(record.objectType).map((o) => o.value);
      if (decideLifecycleWrite(previous, next, order) === 'apply') {
        Object.assign(
          accepted,
          stageCalculatedUpdates(previous, next, at, (name) => record.properties.get(name)),
        );
      } else {
        delete accepted.lifecyclestage;
      }
    }
    const changed = this.writeValues(record, accepted, source, at, true);
    if (changed) this.writeValues(record, { [lastModifiedProperty(record.objectType)]: new Date(at).toISOString() }, CALCULATED_WRITE, at, false);
  }

  /** Stores values that differ from the current ones, with history; reports them when `report` is set. */
  private writeValues(record: CrmRecord, values: Record<string, string>, source: WriteSource, at: number, report: boolean): boolean {
    let changed = false;
    for (const [name, value] of Object.entries(values)) {
      const previous = record.properties.get(name) ?? '';
      if (previous === value) continue;
      changed = true;
      record.properties.set(name, value);
      this.table(record.objectType).changed(record, name, previous, value);
      const history = record.history.get(name) ?? [];
      history.unshift({ value, timestamp: new Date(at).toISOString(), sourceType: source.sourceType, ...(source.sourceId ? { sourceId: source.sourceId } : {}) });
      record.history.set(name, history);
      if (report) {
        this.deps.onChange({
          kind: 'propertyChange',
          objectType: record.objectType,
          objectId: record.id,
          propertyName: name,
          propertyValue: value,
          occurredAt: at,
          changeSource: source.changeSource,
          ...(source.sourceId ? { sourceId: source.sourceId } : {}),
        });
      }
    }
    if (changed) record.updatedAt = at;
    return changed;
  }
}
