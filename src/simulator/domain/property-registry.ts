import { conflict, notFound } from './simulated-api-error';
import { DEFAULT_LIFECYCLE_STAGES, LIFECYCLE_OBJECT_TYPES, defaultGroups, defaultProperties, definition, toOptions } from './default-properties';
import type { ObjectType } from './object-types';
import { OBJECT_TYPES } from './object-types';
import type { PropertyDefinition, PropertyGroup, PropertyOption } from './property-types';
import { parseStageProperty } from './stage-properties';

/** One portal's property schema: groups and definitions per object type. */
export class PropertyRegistry {
  private readonly properties = new Map<ObjectType, Map<string, PropertyDefinition>>();
  private readonly groups = new Map<ObjectType, Map<string, PropertyGroup>>();

  constructor(
    private readonly now: () => string,
    lifecycleStages: PropertyOption[] = toOptions(DEFAULT_LIFECYCLE_STAGES),
  ) {
    const at = now();
    for (const type of OBJECT_TYPES) {
      this.properties.set(type, new Map(defaultProperties(type, lifecycleStages, at).map((p) => [p.name, p])));
      this.groups.set(type, new Map(defaultGroups(type).map((g) => [g.name, g])));
    }
  }

  /** A definition, including the stage-calculated ones derived from the current lifecycle stage options. */
  find(type: ObjectType, name: string): PropertyDefinition | undefined {
    const stored = this.propertyMap(type).get(name);
    if (stored) return stored.archived ? undefined : stored;
    const stage = parseStageProperty(name);
    if (!stage || !this.lifecycleStages(type).some((o) => o.value === stage.stage)) return undefined;
    const isDate = stage.kind.startsWith('date_');
    return definition(type, name, isDate ? 'datetime' : 'number', this.now(), { calculated: true, readOnlyValue: true, label: name });
  }

  get(type: ObjectType, name: string): PropertyDefinition {
    const found = this.find(type, name);
    if (!found) throw notFound(`Unable to find property ${name} on object type ${type}`);
    return found;
  }

  list(type: ObjectType): PropertyDefinition[] {
    const stored = [...this.propertyMap(type).values()].filter((p) => !p.archived);
    if (!LIFECYCLE_OBJECT_TYPES.includes(type)) return stored;
    const derived = this.lifecycleStages(type).flatMap((o) =>
      ['date_entered', 'date_exited', 'latest_time_in', 'cumulative_time_in'].map((kind) => this.find(type, `hs_v2_${kind}_${o.value}`)),
    );
    return [...stored, ...derived.filter((p): p is PropertyDefinition => p !== undefined)];
  }

  create(type: ObjectType, input: Omit<PropertyDefinition, 'createdAt' | 'updatedAt' | 'archived' | 'hubspotDefined' | 'calculated' | 'readOnlyValue'>): PropertyDefinition {
    if (this.find(type, input.name)) throw conflict(`Property already exists: ${input.name}`);
    if (!this.groupMap(type).has(input.groupName)) throw notFound(`Unable to find property group ${input.groupName} on object type ${type}`);
    const at = this.now();
    const created: PropertyDefinition = { ...input, createdAt: at, updatedAt: at, archived: false, hubspotDefined: false, calculated: false, readOnlyValue: false };
    this.propertyMap(type).set(created.name, created);
    return created;
  }

  /** PATCH semantics: given fields replace the stored ones (`options` replaces the whole list). */
  update(type: ObjectType, name: string, patch: Partial<PropertyDefinition>): PropertyDefinition {
    const current = this.propertyMap(type).get(name);
    if (!current || current.archived) throw notFound(`Unable to find property ${name} on object type ${type}`);
    if (patch.groupName && !this.groupMap(type).has(patch.groupName)) throw notFound(`Unable to find property group ${patch.groupName}`);
    const updated = { ...current, ...patch, name, updatedAt: this.now() };
    this.propertyMap(type).set(name, updated);
    return updated;
  }

  archive(type: ObjectType, name: string): void {
    const current = this.get(type, name);
    if (current.hubspotDefined) throw conflict(`Property ${name} is HubSpot-defined and cannot be archived`);
    this.propertyMap(type).set(name, { ...current, archived: true, updatedAt: this.now() });
  }

  /** Lifecycle stage options in pipeline order (displayOrder), custom numeric stages included. */
  lifecycleStages(type: ObjectType): PropertyOption[] {
    const property = this.propertyMap(type).get('lifecyclestage');
    return property ? [...property.options].sort((a, b) => a.displayOrder - b.displayOrder) : [];
  }

  listGroups(type: ObjectType): PropertyGroup[] {
    return [...this.groupMap(type).values()].filter((g) => !g.archived);
  }

  getGroup(type: ObjectType, name: string): PropertyGroup {
    const group = this.groupMap(type).get(name);
    if (!group || group.archived) throw notFound(`Unable to find property group ${name} on object type ${type}`);
    return group;
  }

  createGroup(type: ObjectType, group: Omit<PropertyGroup, 'archived'>): PropertyGroup {
    if (this.groupMap(type).get(group.name)?.archived === false) throw conflict(`Property group already exists: ${group.name}`);
    const created = { ...group, archived: false };
    this.groupMap(type).set(group.name, created);
    return created;
  }

  updateGroup(type: ObjectType, name: string, patch: Partial<Omit<PropertyGroup, 'name'>>): PropertyGroup {
    const updated = { ...this.getGroup(type, name), ...patch };
    this.groupMap(type).set(name, updated);
    return updated;
  }

  archiveGroup(type: ObjectType, name: string): void {
    this.updateGroup(type, name, { archived: true });
  }

  private propertyMap(type: ObjectType): Map<string, PropertyDefinition> {
    return this.properties.get(type) as Map<string, PropertyDefinition>;
  }

  private groupMap(type: ObjectType): Map<string, PropertyGroup> {
    return this.groups.get(type) as Map<string, PropertyGroup>;
  }
}
