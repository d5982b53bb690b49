/** The stateful HubSpot simulator: start it, point @hubspot/api-client's `basePath` at it, script it through `control`. */
export { startSimulator } from './start-simulator';
export type { RunningSimulator, SimulatorPortalInfo } from './start-simulator';
export { ManualClock, systemClock } from './clock';
export type { Clock } from './clock';
export type { SimulatorOptions, PortalOptionsInput } from './config/simulator-options';
export { DEFAULT_PORTAL_ID } from './config/simulator-options';
export { SimulatorControl } from './control/control-api';
export type { ActivityFactInput } from './activities/activity-facts';
export type { FaultPlanInput } from './faults/fault-plan';
export type { WebhooksConfigInput } from './webhooks/webhook-config';
export type { DeliveryAttempt, WebhookChaos } from './webhooks/webhook-dispatcher';
export type { EnrolmentInput, WorkflowExecution } from './workflows/workflow-runner';
export { RATE_LIMIT_TIERS } from './limits/tiers';
export type { RateLimitTier } from './limits/tiers';
