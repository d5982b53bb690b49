import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import { BACKEND_URL } from './backend-url.ts';
import { withCardClaims, type CardClaims } from './card-contract.ts';
import {
  InvalidModelAnswerSchema,
  ModelDiffViewSchema,
  ModelRevisionListSchema,
  ModelRevisionWithDocumentSchema,
  ModelSettingsViewSchema,
  PreviewJobAnswerSchema,
  PublishAnswerSchema,
  ReevaluationAnswerSchema,
  settingsApiPaths,
  type InvalidModelAnswer,
  type ModelDiffView,
  type ModelRevisionList,
  type ModelRevisionView,
  type ModelSettingsView,
  type PreviewJobAnswer,
  type PreviewRequest,
  type PublishAnswer,
  type ReevaluationAnswer,
} from './contract.ts';

/**
 * Every call answers quickly, the preview included: its replay grows with the portal (about 0.15 ms of CPU per
 * contact), past hubspot.fetch's 15 s default timeout on a large account
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data), so it
 * runs as a background job the page starts and then polls.
 */
export const REQUEST_TIMEOUT_MS = 5000;

/** A failure worth showing as is; the message never contains backend internals. */
export class BackendError extends Error {}

export type Identity = Omit<CardClaims, 'requestId'>;

export const identityOf = (context: { portal: { id: number }; user: { id: number; email: string } }): Identity => ({
  portalId: context.portal.id,
  userId: context.user.id,
  userEmail: context.user.email,
});

/** What the settings page asks of the backend; a test passes its own (house-by-example B5). */
export interface SettingsApi {
  load(): Promise<ModelSettingsView>;
  saveDraft(document: unknown, note: string): Promise<{ saved: ModelRevisionView } | { invalid: InvalidModelAnswer }>;
  /** Starts a preview of the saved draft (or finds the one running for it): its job, at once. */
  startPreview(period: PreviewRequest): Promise<PreviewJobAnswer>;
  /** A preview job's state, progress and, once done, the comparison. */
  previewJob(id: number): Promise<PreviewJobAnswer>;
  /** The portal's newest preview job, or null. */
  latestPreview(): Promise<PreviewJobAnswer>;
  revisions(before?: number): Promise<ModelRevisionList>;
  diff(revision: number, against?: number): Promise<ModelDiffView>;
  publish(revision: number): Promise<PublishAnswer>;
  reevaluation(): Promise<ReevaluationAnswer>;
  startReevaluation(): Promise<ReevaluationAnswer>;
}

type Method = 'GET' | 'POST' | 'PUT';

async function call(identity: Identity, path: string, method: Method, body: Record<string, unknown> | undefined, timeout: number): Promise<Response> {
  try {
    return await hubspot.fetch(`${BACKEND_URL}${withCardClaims(path, identity)}`, { method, timeout, ...(body && { body }) });
  } catch {
    throw new BackendError('The lifecycle service could not be reached. Try again in a moment.');
  }
}

async function parsed<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  if (!response.ok) throw new BackendError(`The lifecycle service answered with an error (HTTP ${response.status}).`);
  return understood(await response.json(), schema);
}

function understood<T>(json: unknown, schema: z.ZodType<T>): T {
  const result = schema.safeParse(json);
  if (!result.success) throw new BackendError('The lifecycle service sent an answer this page does not understand.');
  return result.data;
}

/** The settings API through HubSpot's signed proxy, each answer checked against the contract. */
export function createSettingsApi(identity: Identity): SettingsApi {
  const get = <T>(path: string, schema: z.ZodType<T>) => call(identity, path, 'GET', undefined, REQUEST_TIMEOUT_MS).then((r) => parsed(r, schema));
  return {
    load: () => get(settingsApiPaths.model(), ModelSettingsViewSchema),
    async saveDraft(document, note) {
      const response = await call(identity, settingsApiPaths.draft(), 'PUT', { document, note }, REQUEST_TIMEOUT_MS);
      if (response.status === 422) return { invalid: understood(await response.json(), InvalidModelAnswerSchema) };
      return { saved: await parsed(response, ModelRevisionWithDocumentSchema) };
    },
    startPreview: (period) => call(identity, settingsApiPaths.preview(), 'POST', period, REQUEST_TIMEOUT_MS).then((r) => parsed(r, PreviewJobAnswerSchema)),
    previewJob: (id) => get(settingsApiPaths.previewJob(id), PreviewJobAnswerSchema),
    latestPreview: () => get(settingsApiPaths.preview(), PreviewJobAnswerSchema),
    revisions: (before) => get(settingsApiPaths.revisions(before), ModelRevisionListSchema),
    diff: (revision, against) => get(settingsApiPaths.diff(revision, against), ModelDiffViewSchema),
    publish: (revision) => call(identity, settingsApiPaths.publish(revision), 'POST', undefined, REQUEST_TIMEOUT_MS).then((r) => parsed(r, PublishAnswerSchema)),
    reevaluation: () => get(settingsApiPaths.reevaluation(), ReevaluationAnswerSchema),
    // 409: one is already running; its progress is the answer either way.
    async startReevaluation() {
      const response = await call(identity, settingsApiPaths.reevaluation(), 'POST', undefined, REQUEST_TIMEOUT_MS);
      return response.status === 409 ? understood(await response.json(), ReevaluationAnswerSchema) : parsed(response, ReevaluationAnswerSchema);
    },
  };
}

export const messageOf = (error: unknown): string => (error instanceof BackendError ? error.message : 'Something went wrong while talking to the lifecycle service.');
