import { Client } from '@hubspot/api-client';
import type { ObjectType } from '../../core';
import type { Clock } from '../../app/ports/clock';
import { HubSpotError, type CrmRecord, type HubSpotPort, type PropertyWrite, type SearchPage, type SearchPageRequest, type TaskInput } from '../../app/ports/hubspot-port';
import type { HubSpotPropertiesPort, PropertyDefinition, PropertyGroupDefinition, PropertyOption } from '../../app/ports/hubspot-properties-port';
import type { RequestSlots } from '../../app/ports/rate-budget';
import { dailyLimitRetryAt } from '../../app/pipeline/backoff';
import { classifyHubSpotError } from './classify-error';
import { RollingWindowLimiter } from './rolling-window-limiter';

/** HubSpot's plural object names in CRM paths. */
export const CRM_OBJECT_PATH: Record<ObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

/** Task → record association type ids (HUBSPOT_DEFINED; hubspot-platform.md §5). */
const TASK_ASSOCIATION_TYPE: Record<ObjectType, number> = { contact: 204, company: 192, deal: 216 };

export interface GatewayOptions {
  portalId: number;
  /** A static (private-app) token, or an OAuth token source asked before every call (it renews ahead of expiry). */
  accessToken: string | (() => Promise<string>);
  /** HubSpot's API origin, or the simulator's. */
  basePath: string;
  /** The portal's request budget (in-process, or shared by all instances through the database). */
  limiter: RequestSlots;
  /** CRM search's own budget; default: HubSpot's 5 requests per second per account, fully used. */
  searchLimiter?: RequestSlots;
  clock: Clock;
  /** A call slower than this counts as a timeout and is retried by the caller (writes are idempotent). */
  timeoutMs?: number;
  /** Observes every call (metrics, call-count benchmarks). */
  onCall?: (call: { portalId: number; operation: string; ok: boolean; status: number | null; kind?: string | null }) => void;
}

/**
 * The one place the pipeline talks to HubSpot: the official SDK's typed APIs, one client per portal, SDK retries
 * and limiter off (the SDK installs them process-wide, so per-portal settings would leak between tenants); our own
 * per-portal limiter in front and errors classified once.
 */
export class HubSpotGateway implements HubSpotPort, HubSpotPropertiesPort {
  readonly portalId: number;
  private readonly client: Client;
  private clientToken: string | undefined;
  private readonly searchLimiter: RequestSlots;
  /** Set by a 429 DAILY: no call goes out before `until` (the next hourly probe). */
  private dailyLimit: { until: number; message: string } | null = null;

  constructor(private readonly options: GatewayOptions) {
    this.portalId = options.portalId;
    this.searchLimiter = options.searchLimiter ?? new RollingWindowLimiter({ maxRequests: 5, windowMs: 1_000, headroom: 1 }, options.clock);
    this.clientToken = typeof options.accessToken === 'string' ? options.accessToken : undefined;
    this.client = new Client({ ...(this.clientToken ? { accessToken: this.clientToken } : {}), basePath: options.basePath, numberOfApiCallRetries: 0 });
  }

  async batchRead(objectType: ObjectType, ids: string[], properties: string[], propertiesWithHistory: string[] = []) {
    if (ids.length === 0) return { records: [], missing: [] };
    const response = await this.call('batch_read', () =>
      this.client.crm.objects.batchApi.read(CRM_OBJECT_PATH[objectType], {
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

  async associations(from: ObjectType, to: ObjectType, ids: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const response = await this.call('associations_batch_read', () =>
      this.client.crm.associations.v4.batchApi.getPage(CRM_OBJECT_PATH[from], CRM_OBJECT_PATH[to], { inputs: ids.map((id) => ({ id })) }),
    );
    for (const row of response.results) {
      result.set(
        row._from.id,
        row.to.map((t) => String(t.toObjectId)),
      );
    }
    return result;
  }

  async batchUpdate(objectType: ObjectType, inputs: PropertyWrite[]) {
    if (inputs.length === 0) return { updated: [], failed: [] };
    const response = await this.call('batch_update', () =>
      this.client.crm.objects.batchApi.update(CRM_OBJECT_PATH[objectType], { inputs: inputs.map((i) => ({ id: i.id, properties: i.properties })) }),
    );
    const failed: Array<{ id: string; message: string }> = [];
    for (const error of ('errors' in response ? response.errors : undefined) ?? []) {
      const ids = error.context?.['ids'] ?? error.context?.['id'] ?? [];
      for (const id of ids) failed.push({ id, message: error.message });
    }
    const failedIds = new Set(failed.map((f) => f.id));
    return { updated: inputs.map((i) => i.id).filter((id) => !failedIds.has(id)), failed };
  }

  async completeCallback(callbackId: string, outputFields: Record<string, string>): Promise<void> {
    await this.call('callback_complete', () => this.client.automation.actions.callbacksApi.complete(callbackId, { outputFields }));
  }

  async createTasks(inputs: TaskInput[]): Promise<string[]> {
    if (inputs.length === 0) return [];
    const response = await this.call('tasks_batch_create', () =>
      this.client.crm.objects.tasks.batchApi.create({
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

  async searchPage(objectType: ObjectType, request: SearchPageRequest): Promise<SearchPage> {
    const response = await this.call(
      'search',
      () =>
        this.client.crm.objects.searchApi.doSearch(CRM_OBJECT_PATH[objectType], {
          filterGroups: request.filterGroups.map((filters) => ({ filters: filters.map((f) => ({ ...f, operator: f.operator as never })) })),
          // HubSpot's documented sort is an object; the SDK types it as a string.
          sorts: [request.sort as never],
          properties: request.properties,
          limit: request.limit,
          ...(request.after ? { after: request.after } : {}),
        }),
      this.searchLimiter,
    );
    return {
      records: response.results.map((r) => ({ id: r.id, properties: { ...r.properties }, history: {} })),
      total: response.total,
      after: response.paging?.next?.after ?? null,
    };
  }

  async propertyOptions(objectType: ObjectType, property: string) {
    const response = await this.call('property_read', () => this.client.crm.properties.coreApi.getByName(CRM_OBJECT_PATH[objectType], property));
    return [...(response.options ?? [])].sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0)).map((o) => ({ value: o.value, label: o.label }));
  }

  async createGroup(objectType: ObjectType, group: PropertyGroupDefinition): Promise<boolean> {
    try {
      await this.call('property_group_create', () => this.client.crm.properties.groupsApi.create(CRM_OBJECT_PATH[objectType], group));
      return true;
    } catch (error) {
      if (error instanceof HubSpotError && error.status === 409) return false;
      throw error;
    }
  }

  async readProperties(objectType: ObjectType, names: string[]) {
    const found = new Map<string, { options: PropertyOption[]; type: string }>();
    if (names.length === 0) return found;
    const response = await this.call('property_batch_read', () =>
      this.client.crm.properties.batchApi.read(CRM_OBJECT_PATH[objectType], { archived: false, inputs: names.map((name) => ({ name })) }),
    );
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
    await this.call('property_batch_create', () =>
      this.client.crm.properties.batchApi.create(CRM_OBJECT_PATH[objectType], { inputs: definitions.map((d) => ({ ...d, type: d.type as never, fieldType: d.fieldType as never })) }),
    );
  }

  async updateOptions(objectType: ObjectType, name: string, options: PropertyOption[]): Promise<void> {
    await this.call('property_update', () => this.client.crm.properties.coreApi.update(CRM_OBJECT_PATH[objectType], name, { options }));
  }

  /**
   * One call from an API-group module (lists-api.ts, flows-api.ts) through this portal's limiter, timeout, token and
   * error classification, so new API groups live in their own small files instead of on this class.
   */
  send<T>(operation: string, request: (client: Client) => Promise<T>): Promise<T> {
    return this.call(operation, () => request(this.client));
  }

  private async call<T>(operation: string, send: () => Promise<T>, limiter = this.options.limiter): Promise<T> {
    // Once HubSpot said the daily pool is dry, the other batches of this round and of later rounds are refused here
    // until the next probe: one real 429 per probe, not one per parked batch.
    if (this.dailyLimit && this.options.clock.now() < this.dailyLimit.until) {
      throw new HubSpotError('daily_limit', this.dailyLimit.message, null);
    }
    await limiter.acquire();
    try {
      await this.useCurrentToken();
      const result = await this.withTimeout(send());
      this.options.onCall?.({ portalId: this.portalId, operation, ok: true, status: 200 });
      return result;
    } catch (raw) {
      const error = classifyHubSpotError(raw);
      this.options.onCall?.({ portalId: this.portalId, operation, ok: false, status: error.status, kind: error.kind });
      if (error.kind === 'rate_limited' && error.retryAfterMs) await limiter.backOff(error.retryAfterMs);
      if (error.kind === 'daily_limit') this.dailyLimit = { until: dailyLimitRetryAt(this.options.clock.now()), message: error.message };
      throw error;
    } finally {
      // Whatever happened (even a token refresh failing before the send), the slot must not stay in flight forever.
      limiter.settled();
    }
  }

  /** OAuth: the token source decides; the SDK client is re-pointed only when the token changed (every ~24 min). */
  private async useCurrentToken(): Promise<void> {
    if (typeof this.options.accessToken === 'string') return;
    const token = await this.options.accessToken();
    if (token === this.clientToken) return;
    this.clientToken = token;
    this.client.setAccessToken(token);
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HubSpotError('timeout', `no answer within ${ms} ms`, null)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
