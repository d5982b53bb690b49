import { CARD_API_ROUTES } from './card-api';
import { PAGE_API_ROUTES } from './page-api';

/**
 * The backend's paths, in one place: the app-project generator writes them into the hsmeta files HubSpot reads
 * (webhook targetUrl, each action's actionUrl), the routes mount them, and the runtime, benchmarks and tests call
 * them. The card and page APIs' own contracts (card-api.ts, page-api.ts, copied into the extensions) stay the
 * sources of their paths.
 */

/** Where HubSpot delivers webhook batches (webhooks-hsmeta.json `targetUrl` = backend URL + this). */
export const WEBHOOK_PATH = '/webhooks/hubspot';

/** The custom workflow actions; each name is also the last segment of its actionUrl. */
export const WORKFLOW_ACTIONS = ['evaluate', 'recycle', 'dead-end', 'fastpass', 'satisfaction'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** POST path of one workflow action (its hsmeta `actionUrl` = backend URL + this). */
export const workflowActionPath = (action: WorkflowAction): `/actions/${WorkflowAction}` => `/actions/${action}`;

/** The actions whose select inputs take their options from the portal's published model (a hsmeta `optionsUrl`). */
export const ACTIONS_WITH_OPTIONS = ['recycle', 'dead-end', 'fastpass'] as const satisfies readonly WorkflowAction[];
export type ActionWithOptions = (typeof ACTIONS_WITH_OPTIONS)[number];

/** POST path HubSpot's workflow editor asks for an input's options (its hsmeta `optionsUrl` = backend URL + this). */
export const workflowActionOptionsPath = (action: ActionWithOptions): `/actions/${ActionWithOptions}/options` => `/actions/${action}/options`;

/** The admin reporting API and the dashboard page (report-routes.ts). */
export const REPORT_API_ROUTES = {
  portals: '/api/reports/portals',
  funnel: '/api/reports/funnel',
  stockSeries: '/api/reports/stock-series',
} as const;
export const DASHBOARD_PATH = '/dashboard';

/** Every route of the backend by area (the card routes from card-api.ts, the app-page routes from page-api.ts). */
export const BACKEND_ROUTES = {
  webhook: WEBHOOK_PATH,
  actions: Object.fromEntries(WORKFLOW_ACTIONS.map((a) => [a, workflowActionPath(a)])) as Record<WorkflowAction, string>,
  actionOptions: Object.fromEntries(ACTIONS_WITH_OPTIONS.map((a) => [a, workflowActionOptionsPath(a)])) as Record<ActionWithOptions, string>,
  cards: CARD_API_ROUTES,
  pages: PAGE_API_ROUTES,
  reports: REPORT_API_ROUTES,
  dashboard: DASHBOARD_PATH,
} as const;
