import { Client } from '@hubspot/api-client';
import type { Clock } from '../../app/ports/clock';
import type { HubSpotPort } from '../../app/ports/hubspot-port';
import type { HubSpotPropertiesPort } from '../../app/ports/hubspot-properties-port';
import type { RequestSlots } from '../../app/ports/rate-budget';
import { HubSpotAssociationsApi } from './associations-api';
import {
  composeCallPath,
  sendWith,
  withClassification,
  withDailyLimitLatch,
  withLimiter,
  withMetrics,
  withTimeout,
  withToken,
  type CallFn,
  type CallObservation,
  type CallWrapper,
} from './call-path';
import { HubSpotCrmRecordsApi } from './crm-records-api';
import type { GatewaySend } from './gateway-send';
import { HubSpotPropertiesApi } from './properties-api';
import { RollingWindowLimiter } from './rolling-window-limiter';
import { HubSpotSearchApi } from './search-api';

export { CRM_OBJECT_PATH } from './crm-paths';

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
  onCall?: (call: CallObservation) => void;
}

/**
 * One portal's HubSpot: the official SDK, one client per portal, SDK retries and limiter off (the SDK installs them
 * process-wide, so per-portal settings would leak between tenants). Every call travels this portal's call path
 * (call-path.ts): daily-limit latch → limiter slot → metrics → classification → token → timeout → SDK. The API
 * groups (CRM records, associations, search, properties; lists and flows through `send`) each live in their own
 * file; this class is the facade that implements the pipeline's ports by delegating to them.
 */
export class HubSpotGateway implements HubSpotPort, HubSpotPropertiesPort {
  readonly portalId: number;
  /** One call through this portal's call path, for API groups built outside the gateway (lists-api.ts, flows-api.ts). */
  readonly send: GatewaySend;

  readonly batchRead: HubSpotPort['batchRead'];
  readonly batchUpdate: HubSpotPort['batchUpdate'];
  readonly createTasks: HubSpotPort['createTasks'];
  readonly associations: HubSpotPort['associations'];
  readonly searchPage: HubSpotPort['searchPage'];
  readonly propertyOptions: HubSpotPort['propertyOptions'];
  readonly createGroup: HubSpotPropertiesPort['createGroup'];
  readonly readProperties: HubSpotPropertiesPort['readProperties'];
  readonly createProperties: HubSpotPropertiesPort['createProperties'];
  readonly updateOptions: HubSpotPropertiesPort['updateOptions'];

  constructor(options: GatewayOptions) {
    this.portalId = options.portalId;
    const staticToken = typeof options.accessToken === 'string' ? options.accessToken : undefined;
    const client = new Client({ ...(staticToken ? { accessToken: staticToken } : {}), basePath: options.basePath, numberOfApiCallRetries: 0 });
    const call = portalCallPath(client, options);
    this.send = (operation, request, callOptions) => call({ operation, budget: callOptions?.budget ?? 'burst', request });

    const records = new HubSpotCrmRecordsApi(this.send);
    const associations = new HubSpotAssociationsApi(this.send);
    const search = new HubSpotSearchApi(this.send);
    const properties = new HubSpotPropertiesApi(this.send);
    this.batchRead = records.batchRead.bind(records);
    this.batchUpdate = records.batchUpdate.bind(records);
    this.createTasks = records.createTasks.bind(records);
    this.associations = associations.associations.bind(associations);
    this.searchPage = search.searchPage.bind(search);
    this.propertyOptions = properties.propertyOptions.bind(properties);
    this.createGroup = properties.createGroup.bind(properties);
    this.readProperties = properties.readProperties.bind(properties);
    this.createProperties = properties.createProperties.bind(properties);
    this.updateOptions = properties.updateOptions.bind(properties);
  }
}

/** The call path of one portal, outermost first. Its latch and token state belong to this portal alone. */
function portalCallPath(client: Client, options: GatewayOptions): CallFn {
  const searchLimiter = options.searchLimiter ?? new RollingWindowLimiter({ maxRequests: 5, windowMs: 1_000, headroom: 1 }, options.clock);
  const wrappers: CallWrapper[] = [
    withDailyLimitLatch(options.clock),
    withLimiter({ burst: options.limiter, search: searchLimiter }),
    withMetrics(options.portalId, options.onCall),
    withClassification,
    ...(typeof options.accessToken === 'string' ? [] : [withToken(client, options.accessToken)]),
    withTimeout(options.timeoutMs ?? 30_000),
  ];
  return composeCallPath(wrappers, sendWith(client));
}
