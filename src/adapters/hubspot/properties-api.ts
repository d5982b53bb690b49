import type { ObjectType } from '../../core';
import { HubSpotError, type HubSpotPort } from '../../app/ports/hubspot-port';
import type { HubSpotPropertiesPort, PropertyDefinition, PropertyGroupDefinition, PropertyOption } from '../../app/ports/hubspot-properties-port';
import { CRM_OBJECT_PATH } from './crm-paths';
import type { GatewaySend } from './gateway-send';

/**
 * Properties and property groups (https://developers.hubspot.com/docs/api/crm/properties): what provisioning creates
 * and what the pipeline reads of an enumeration's options (a portal's lifecycle stages).
 */
export class HubSpotPropertiesApi implements HubSpotPropertiesPort, Pick<HubSpotPort, 'propertyOptions'> {
  constructor(private readonly send: GatewaySend) {}

  async propertyOptions(objectType: ObjectType, property: string) {
    const response = await this.send('property_read', (c) => c.crm.properties.coreApi.getByName(CRM_OBJECT_PATH[objectType], property));
    return [...(response.options ?? [])].sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0)).map((o) => ({ value: o.value, label: o.label }));
  }

  async createGroup(objectType: ObjectType, group: PropertyGroupDefinition): Promise<boolean> {
    try {
      await this.send('property_group_create', (c) => c.crm.properties.groupsApi.create(CRM_OBJECT_PATH[objectType], group));
      return true;
    } catch (error) {
      if (error instanceof HubSpotError && error.status === 409) return false;
      throw error;
    }
  }

  async readProperties(objectType: ObjectType, names: string[]) {
    const found = new Map<string, { options: PropertyOption[]; type: string }>();
    if (names.length === 0) return found;
    const response = await this.send('property_batch_read', (c) => c.crm.properties.batchApi.read(CRM_OBJECT_PATH[objectType], { archived: false, inputs: names.map((name) => ({ name })) }));
    for (const p of response.results) {
      found.set(p.name, {
        type: p.type,
        options: (p.options ?? []).map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? 0, hidden: o.hidden })),
      });
    }
    return found;
  }

  async createProperties(objectType: ObjectType, definitions: PropertyDefinition[]): Promise<void> {
    if (definitions.length === 0) return;
    await this.send('property_batch_create', (c) =>
      c.crm.properties.batchApi.create(CRM_OBJECT_PATH[objectType], { inputs: definitions.map((d) => ({ ...d, type: d.type as never, fieldType: d.fieldType as never })) }),
    );
  }

  async updateOptions(objectType: ObjectType, name: string, options: PropertyOption[]): Promise<void> {
    await this.send('property_update', (c) => c.crm.properties.coreApi.update(CRM_OBJECT_PATH[objectType], name, { options }));
  }
}
