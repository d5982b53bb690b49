import { z } from 'zod';

/**
 * The settings API: the `settings` page (extensions/app/settings) reads and edits the portal's lifecycle model
 * through hubspot.fetch. Like the card API, every route checks HubSpot's signature and takes the portal (and the
 * user, the revision's author) from the signed query — CardClaims — never from the path or the body:
 *   GET  /settings/model                                → ModelSettingsView (published + draft)
 *   PUT  /settings/model/draft        SaveDraftRequest  → ModelRevisionView | 422 InvalidModelAnswer
 *   POST /settings/model/preview      PreviewRequest    → 202 PreviewJobAnswer: a preview job started (the replay of the draft
 *                                                         against the published model, in the background); 200 with the
 *                                                         running one when it previews the same draft and period
 *   GET  /settings/model/preview                        → PreviewJobAnswer: the portal's newest preview job, or null
 *   GET  /settings/model/preview/:job                   → PreviewJobAnswer: that job's state, progress and, once done, the comparison
 *   GET  /settings/model/revisions?before=N             → ModelRevisionList (newest first, one page)
 *   GET  /settings/model/revisions/:revision/diff?against=M → ModelDiffView (default against: the published revision)
 *   POST /settings/model/revisions/:revision/publish  PublishRequest → PublishAnswer (a draft: publish; an archived one: rollback)
 *   GET  /settings/model/reevaluation                   → ReevaluationAnswer (the last "re-evaluate every record now", or null)
 *   POST /settings/model/reevaluation                   → ReevaluationAnswer (starts one; 409 while one runs)
 */
export const SETTINGS_API_ROUTES = {
  model: '/settings/model',
  draft: '/settings/model/draft',
  preview: '/settings/model/preview',
  previewJob: '/settings/model/preview/:job',
  revisions: '/settings/model/revisions',
  diff: '/settings/model/revisions/:revision/diff',
  publish: '/settings/model/revisions/:revision/publish',
  reevaluation: '/settings/model/reevaluation',
} as const;

export const settingsApiPaths = {
  model: () => SETTINGS_API_ROUTES.model,
  draft: () => SETTINGS_API_ROUTES.draft,
  preview: () => SETTINGS_API_ROUTES.preview,
  previewJob: (job: number) => `${SETTINGS_API_ROUTES.preview}/${job}`,
  revisions: (before?: number) => (before === undefined ? SETTINGS_API_ROUTES.revisions : `${SETTINGS_API_ROUTES.revisions}?before=${before}`),
  diff: (revision: number, against?: number) => `${SETTINGS_API_ROUTES.revisions}/${revision}/diff${against === undefined ? '' : `?against=${against}`}`,
  publish: (revision: number) => `${SETTINGS_API_ROUTES.revisions}/${revision}/publish`,
  reevaluation: () => SETTINGS_API_ROUTES.reevaluation,
};

export const MODEL_REVISION_STATUSES = ['draft', 'published', 'archived'] as const;

export const ModelRevisionViewSchema = z.object({
  revision: z.number().int().positive(),
  status: z.enum(MODEL_REVISION_STATUSES),
  note: z.string(),
  author: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
});
export type ModelRevisionSummaryView = z.infer<typeof ModelRevisionViewSchema>;

export const ModelRevisionWithDocumentSchema = ModelRevisionViewSchema.extend({ document: z.unknown() });
export type ModelRevisionView = z.infer<typeof ModelRevisionWithDocumentSchema>;

export const ModelSettingsViewSchema = z.object({
  published: ModelRevisionWithDocumentSchema,
  draft: ModelRevisionWithDocumentSchema.nullable(),
});
export type ModelSettingsView = z.infer<typeof ModelSettingsViewSchema>;

export const NOTE_MAX_LENGTH = 500;

export const SaveDraftRequestSchema = z.strictObject({
  /** The whole model document; validated with the model schema (the same one a model file is validated with). */
  document: z.unknown(),
  note: z.string().max(NOTE_MAX_LENGTH).default(''),
});
export type SaveDraftRequest = z.input<typeof SaveDraftRequestSchema>;

/** One problem of the document, at the path of the field it is about (`stages[2].slaDays`), for inline display. */
export const ModelIssueSchema = z.object({ path: z.string(), message: z.string() });
export const InvalidModelAnswerSchema = z.object({ error: z.literal('invalid_model'), message: z.string(), issues: z.array(ModelIssueSchema) });
export type InvalidModelAnswer = z.infer<typeof InvalidModelAnswerSchema>;

/** The period as `lifecycle replay --from/--to` takes it: YYYY-MM-DD (UTC) or ISO date-times; default the last 30 days. */
export const PreviewRequestSchema = z.strictObject({ from: z.string().optional(), to: z.string().optional() });
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;

const FigureSchema = z.object({ current: z.number().nullable(), whatIf: z.number().nullable(), delta: z.number().nullable() });
export const PreviewAnswerSchema = z.object({
  draftRevision: z.number().int().positive(),
  /** Null when the portal runs an unversioned model (not loaded yet). */
  publishedRevision: z.number().int().positive().nullable(),
  period: z.object({ start: z.string(), end: z.string() }),
  contacts: z.number(),
  missing: z.number(),
  ledgerRows: z.object({ current: z.number(), whatIf: z.number() }),
  /** Set when properties the draft reads are not stored for some contacts (Preview never calls HubSpot): no comparison was made. */
  unreadable: z.object({ properties: z.array(z.string()), contacts: z.number() }).nullable(),
  /**
   * Set while the portal's ledger aggregates are being rebuilt (`lifecycle aggregates rebuild`): the published side
   * counts only the records the rebuild reached. Absent from previews stored before it existed.
   */
  publishedPartial: z.object({ recordsDone: z.number(), recordsTotal: z.number().nullable(), message: z.string() }).nullable().optional(),
  stages: z.array(z.object({ stageId: z.string(), label: z.string(), flowIn: FigureSchema, ending: FigureSchema, cvr: FigureSchema })),
});
export type PreviewAnswer = z.infer<typeof PreviewAnswerSchema>;

/**
 * running → done (result set) | failed (error set: the replay failed, or the backend running it stopped) |
 * superseded (the draft changed and a new preview of it was started while this one ran).
 */
export const PREVIEW_JOB_STATUSES = ['running', 'done', 'failed', 'superseded'] as const;
export const PreviewJobViewSchema = z.object({
  id: z.number().int().positive(),
  status: z.enum(PREVIEW_JOB_STATUSES),
  draftRevision: z.number().int().positive(),
  publishedRevision: z.number().int().positive().nullable(),
  /** The period asked for (the result's period is widened to whole UTC days). */
  period: z.object({ start: z.string(), end: z.string() }),
  /** Contacts replayed so far, of about `contactsTotal` (the portal's contacts when the job started). */
  progress: z.object({ contactsDone: z.number().int().nonnegative(), contactsTotal: z.number().int().nonnegative() }),
  startedBy: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The draft was saved again, published or dropped, or another revision was published, since this preview started: its figures are not those of the draft as it is now. */
  stale: z.boolean(),
  error: z.string().nullable(),
  /** The comparison, once done. */
  result: PreviewAnswerSchema.nullable(),
});
export type PreviewJobView = z.infer<typeof PreviewJobViewSchema>;
export const PreviewJobAnswerSchema = z.object({ job: PreviewJobViewSchema.nullable() });
export type PreviewJobAnswer = z.infer<typeof PreviewJobAnswerSchema>;

export const ModelRevisionListSchema = z.object({ revisions: z.array(ModelRevisionViewSchema), nextBefore: z.number().nullable() });
export type ModelRevisionList = z.infer<typeof ModelRevisionListSchema>;

export const ModelDiffViewSchema = z.object({
  revision: z.number(),
  against: z.number(),
  changes: z.array(z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), before: z.unknown().optional(), after: z.unknown().optional() })),
});
export type ModelDiffView = z.infer<typeof ModelDiffViewSchema>;

export const PublishAnswerSchema = z.object({ published: ModelRevisionViewSchema, previous: z.number().nullable() });
export type PublishAnswer = z.infer<typeof PublishAnswerSchema>;

/** "Re-evaluate every record now": every contact of the ledger decided again under the published revision, in the background. */
export const ReevaluationViewSchema = z.object({
  revision: z.number().int().positive().nullable(),
  startedBy: z.string().nullable(),
  startedAt: z.string(),
  /** Null while it runs. */
  finishedAt: z.string().nullable(),
  recordsDone: z.number().int().nonnegative(),
  /** Moves the re-evaluation added to the ledger. */
  transitions: z.number().int().nonnegative(),
});
export type ReevaluationView = z.infer<typeof ReevaluationViewSchema>;
export const ReevaluationAnswerSchema = z.object({ reevaluation: ReevaluationViewSchema.nullable() });
export type ReevaluationAnswer = z.infer<typeof ReevaluationAnswerSchema>;
