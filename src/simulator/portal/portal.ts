import { ActivityLog } from '../activities/activity-log';
import type { Clock } from '../clock';
import type { PortalOptions } from '../config/simulator-options';
import { toOptions } from '../domain/default-properties';
import type { ChangeListener } from '../domain/crm-change';
import { CrmService } from '../domain/crm-service';
import { PropertyRegistry } from '../domain/property-registry';
import { FaultInjector } from '../faults/fault-injector';
import { ActionDefinitionRegistry } from '../flows/action-definitions';
import { FlowStore } from '../flows/flow-store';
import { ListStore } from '../lists/list-store';
import { PortalRateLimiter } from '../limits/rate-limiter';
import type { RateLimitPolicy } from '../limits/tiers';
import { policyFor } from '../limits/tiers';

/** Everything the simulator keeps for one HubSpot account: credentials, limits, faults, schema, records, activities. */
export class Portal {
  readonly portalId: number;
  readonly appId: number;
  readonly accessTokens: readonly string[];
  readonly clientSecret: string;
  readonly policy: RateLimitPolicy;
  readonly limiter: PortalRateLimiter;
  readonly faults = new FaultInjector();
  readonly registry: PropertyRegistry;
  readonly crm: CrmService;
  readonly activities = new ActivityLog();
  readonly lists: ListStore;
  readonly flows: FlowStore;

  constructor(
    options: PortalOptions,
    readonly clock: Clock,
    onChange: ChangeListener,
    definitions = new ActionDefinitionRegistry(),
  ) {
    this.portalId = options.portalId;
    this.appId = options.appId;
    this.accessTokens = options.accessTokens;
    this.clientSecret = options.clientSecret;
    const overrides = Object.fromEntries(Object.entries(options.rateLimits).filter(([, v]) => v !== undefined));
    this.policy = policyFor(options.tier, overrides);
    this.limiter = new PortalRateLimiter(this.policy, clock);
    const stages = options.lifecycleStages
      ? toOptions(
          options.lifecycleStages.map((s) => s.value),
          Object.fromEntries(options.lifecycleStages.map((s) => [s.value, s.label])),
        )
      : undefined;
    this.registry = new PropertyRegistry(() => new Date(clock.now()).toISOString(), stages);
    this.crm = new CrmService({
      clock: () => clock.now(),
      registry: this.registry,
      onChange,
      itemFailure: (type, id) => this.faults.itemFailure(type, id),
    });
    this.lists = new ListStore({ crm: this.crm, now: () => clock.now() });
    this.flows = new FlowStore({ now: () => clock.now(), definitions, listExists: (id) => this.lists.all().some((l) => l.listId === id) });
  }
}
