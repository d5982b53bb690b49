import { z } from 'zod';
import type { Clock } from '../clock';
import { notFound } from '../domain/simulated-api-error';
import type { ActionDefinition } from '../flows/action-definitions';
import { signedPost } from '../webhooks/signed-post';

/** What the workflow editor asks for: the options of one input, with what the admin typed and the page after. */
export const optionsFetchSchema = z.strictObject({
  inputFieldName: z.string().min(1),
  /** What the admin has filled in so far on the action. */
  inputFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  q: z.string().optional(),
  after: z.string().optional(),
  objectTypeId: z.string().default('0-1'),
});
export type OptionsFetchInput = z.input<typeof optionsFetchSchema>;

const OptionsAnswerSchema = z.looseObject({
  options: z.array(z.looseObject({ label: z.string(), value: z.string(), description: z.string().optional() })),
  after: z.string().optional(),
  searchable: z.boolean().optional(),
});

export type OptionsFetchOutcome =
  | { source: 'static'; options: { label: string; value: string }[] }
  | {
      source: 'optionsUrl';
      url: string;
      request: Record<string, unknown>;
      status: number;
      options: { label: string; value: string; description?: string }[];
      after?: string;
      searchable: boolean;
    }
  | { source: 'optionsUrl'; url: string; request: Record<string, unknown>; status?: number; error: string };

const FieldSchema = z.looseObject({
  typeDefinition: z.looseObject({
    name: z.string(),
    options: z.array(z.looseObject({ label: z.string(), value: z.string() })).optional(),
    optionsUrl: z.string().optional(),
  }),
});

/**
 * Plays HubSpot's workflow editor opening a custom action's select input. A field with `optionsUrl` is fetched from
 * the app: a POST signed like an execution (v3 + v2) with `{ origin, objectTypeId, inputFieldName, inputFields,
 * fetchOptions }`, answered `{ options, after, searchable }` ("fetch external data fields",
 * https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/custom-action-reference#using-external-data);
 * a field with static `options` shows them as declared.
 */
export async function fetchActionInputOptions(
  deps: { clock: Clock; timeoutMs: number },
  portal: { portalId: number; clientSecret: string },
  definition: ActionDefinition,
  input: OptionsFetchInput,
): Promise<OptionsFetchOutcome> {
  const ask = optionsFetchSchema.parse(input);
  const field = definition.config.inputFields.map((f) => FieldSchema.safeParse(f)).find((f) => f.success && f.data.typeDefinition.name === ask.inputFieldName);
  if (!field?.success) throw notFound(`Action definition ${definition.id} has no input field ${ask.inputFieldName}`);
  const { options, optionsUrl } = field.data.typeDefinition;
  if (!optionsUrl) return { source: 'static', options: (options ?? []).map(({ label, value }) => ({ label, value })) };

  const request = {
    origin: { portalId: portal.portalId, actionDefinitionId: Number(definition.id), actionDefinitionVersion: Number(definition.revisionId) },
    objectTypeId: ask.objectTypeId,
    inputFieldName: ask.inputFieldName,
    inputFields: Object.fromEntries(Object.entries(ask.inputFields).map(([k, v]) => [k, String(v)])),
    fetchOptions: { ...(ask.q !== undefined && { q: ask.q }), ...(ask.after !== undefined && { after: ask.after }) },
  };
  const outcome = await signedPost({
    url: optionsUrl,
    body: JSON.stringify(request),
    clientSecret: portal.clientSecret,
    timestamp: deps.clock.now(),
    legacyVersion: 'v2',
    timeoutMs: deps.timeoutMs,
  });
  const failed = (error: string) => ({ source: 'optionsUrl' as const, url: optionsUrl, request, ...(outcome.status !== undefined && { status: outcome.status }), error });
  if (outcome.status === undefined || outcome.status < 200 || outcome.status >= 300) return failed(outcome.error ?? `HTTP ${outcome.status}: ${outcome.body ?? ''}`);
  let json: unknown;
  try {
    json = JSON.parse(outcome.body ?? '');
  } catch {
    return failed('the answer is not JSON');
  }
  const answer = OptionsAnswerSchema.safeParse(json);
  if (!answer.success) return failed(`the answer is not { options: [{ label, value }] }: ${answer.error.message}`);
  return {
    source: 'optionsUrl',
    url: optionsUrl,
    request,
    status: outcome.status,
    options: answer.data.options.map(({ label, value, description }) => ({ label, value, ...(description !== undefined && { description }) })),
    ...(answer.data.after !== undefined && { after: answer.data.after }),
    searchable: answer.data.searchable ?? false,
  };
}
