import type { ObjectType } from '../../core';
import type { CrmRecord, HubSpotPort, PropertyWrite, TaskInput } from '../../app/ports/hubspot-port';
import { CRM_OBJECT_PATH } from './crm-paths';
import type { GatewaySend } from './gateway-send';

/** Task → record association type ids (HUBSPOT_DEFINED; hubspot-platform.md §5). */
const TASK_ASSOCIATION_TYPE: Record<ObjectType, number> = { contact: 204, company: 192, deal: 216 };

/**
 * CRM records in batches through the SDK's `crm.objects` batch APIs (https://developers.hubspot.com/docs/api/crm/objects):
 * read with value history, update with a per-item outcome, and tasks created already associated.
 */
export class HubSpotCrmRecordsApi implements Pick<HubSpotPort, 'batchRead' | 'batchUpdate' | 'createTasks'> {
  constructor(private readonly send: GatewaySend) {}

  async batchRead(objectType: ObjectType, ids: string[], properties: string[], propertiesWithHistory: string[] = []) {
    if (ids.length === 0) return { records: [], missing: [] };
    const response = await this.send('batch_read', (c) =>
      c.crm.objects.batchApi.read(CRM_OBJECT_PATH[objectType], {
        inputs: ids.map((id) => ({ id })),
        properties,
        propertiesWithHistory,
      }),
    );
    const records: CrmRecord[] = response.results.map((r) => ({
      id: r.id,
      properties: { ...r.properties },
      history: Object.fromEntries(
        Object.entries(r.propertiesWithHistory ?? {}).map(([name, values]) => [name, values.map((v) => ({ value: v.value, timestamp: new Date(v.timestamp).getTime() }))]),
      ),
    }));
    const found = new Set(records.map((r) => r.id));
    return { records, missing: ids.filter((id) => !found.has(id)) };
  }

  async batchUpdate(objectType: ObjectType, inputs: PropertyWrite[]) {
    if (inputs.length === 0) return { updated: [], failed: [] };
    const response = await this.send('batch_update', (c) =>
      c.crm.objects.batchApi.update(CRM_OBJECT_PATH[objectType], { inputs: inputs.map((i) => ({ id: i.id, properties: i.properties })) }),
    );
    const failed: Array<{ id: string; message: string }> = [];
    for (const error of ('errors' in response ? response.errors : undefined) ?? []) {
      const ids = error.context?.['ids'] ?? error.context?.['id'] ?? [];
      for (const id of ids) failed.push({ id, message: error.message });
    }
    const failedIds = new Set(failed.map((f) => f.id));
    return { updated: inputs.map((i) => i.id).filter((id) => !failedIds.has(id)), failed };
  }

  async createTasks(inputs: TaskInput[]): Promise<string[]> {
    if (inputs.length === 0) return [];
    const response = await this.send('tasks_batch_create', (c) =>
      c.crm.objects.tasks.batchApi.create({
        inputs: inputs.map((task) => ({
          properties: {
            hs_timestamp: new Date(task.dueAt).toISOString(),
            hs_task_subject: task.subject,
            hs_task_body: task.body,
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: task.priority,
            hs_task_type: 'TODO',
            ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
          },
          associations: [
            {
              to: { id: task.associate.objectId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: TASK_ASSOCIATION_TYPE[task.associate.objectType] }],
            },
          ],
        })),
      }),
    );
    return response.results.map((r) => r.id);
  }
}
