import type { CompiledModel, ObjectType } from '../../core';
import type { HubSpotPropertiesPort, PropertyOption } from '../ports/hubspot-properties-port';
import { PROPERTY_GROUP, propertyPlan } from './property-plan';

export interface ProvisionLine {
  objectType: ObjectType;
  name: string;
  outcome: 'created' | 'updated' | 'unchanged';
  detail?: string;
}

/** Existing options first (admins may have added their own), then the model's missing ones. Nothing is removed. */
function mergeOptions(existing: PropertyOption[], wanted: PropertyOption[]): { merged: PropertyOption[]; added: string[] } {
  const have = new Set(existing.map((o) => o.value));
  const added = wanted.filter((o) => !have.has(o.value));
  return {
    merged: [...existing, ...added.map((o, i) => ({ ...o, displayOrder: existing.length + i }))],
    added: added.map((o) => o.value),
  };
}

/**
 * Creates our property group and properties on contacts, companies and deals, and adds missing options to the
 * ones that exist. Re-runnable; never deletes a property, an option or a value.
 */
export async function provisionProperties(hubspot: HubSpotPropertiesPort, model: CompiledModel): Promise<ProvisionLine[]> {
  const lines: ProvisionLine[] = [];
  for (const { objectType, properties } of propertyPlan(model)) {
    const groupCreated = await hubspot.createGroup(objectType, PROPERTY_GROUP);
    lines.push({ objectType, name: `group ${PROPERTY_GROUP.name}`, outcome: groupCreated ? 'created' : 'unchanged' });
    const existing = await hubspot.readProperties(
      objectType,
      properties.map((p) => p.name),
    );
    const missing = properties.filter((p) => !existing.has(p.name));
    if (missing.length > 0) await hubspot.createProperties(objectType, missing);
    for (const p of missing) lines.push({ objectType, name: p.name, outcome: 'created' });
    for (const p of properties.filter((x) => existing.has(x.name))) {
      const current = existing.get(p.name)!;
      if (!p.options || p.type === 'bool') {
        lines.push({ objectType, name: p.name, outcome: 'unchanged' });
        continue;
      }
      const { merged, added } = mergeOptions(current.options, p.options);
      if (added.length === 0) {
        lines.push({ objectType, name: p.name, outcome: 'unchanged' });
        continue;
      }
      await hubspot.updateOptions(objectType, p.name, merged);
      lines.push({ objectType, name: p.name, outcome: 'updated', detail: `added options ${added.join(', ')}` });
    }
  }
  return lines;
}
