import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Divider,
  ErrorState,
  Flex,
  Heading,
  Input,
  LoadingButton,
  LoadingSpinner,
  NumberInput,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  TextArea,
  Toggle,
} from '@hubspot/ui-extensions';
import { createSettingsApi, identityOf, messageOf, type SettingsApi } from './backend.ts';
import type { ModelDiffView, ModelRevisionList, ModelSettingsView, PreviewAnswer, PreviewJobView, ReevaluationView } from './contract.ts';
import { LifecycleModelSchema } from './model-schema.ts';
import { editableFields, fastpassCatalogue, fastpassOn, getAt, parseList, pathKey, setAt, setFastpass, type ModelField } from './model-fields.ts';
import { confirmationId, PublishConfirmation } from './PublishConfirmation.tsx';

interface SettingsPageProps {
  context: { portal: { id: number }; user: { id: number; email: string } };
  /** The host's actions (the settings extension point's): closeOverlay closes the publish confirmation. */
  actions?: { closeOverlay: (id: string) => void };
  /** The backend; tests pass their own. */
  api?: SettingsApi;
  /** How often a running preview is polled (ms). */
  pollMs?: number;
}

type Issues = Record<string, string>;
const SECTIONS: ModelField['section'][] = ['Stages', 'MQL', 'Recycle', 'Dead end', 'Health'];
const PREVIEW_DAYS = 90;
/** A running preview's progress is asked for this often: a 100,000-contact replay takes about 15 s of CPU. */
export const PREVIEW_POLL_MS = 2000;

/** Problems of the document under the model schema the backend validates with, by field path. */
function schemaIssues(document: unknown): Issues {
  const parsed = LifecycleModelSchema.safeParse(document);
  if (parsed.success) return {};
  const issues: Issues = {};
  for (const issue of parsed.error.issues) issues[pathKey(issue.path as Array<string | number>)] ??= issue.message;
  return issues;
}

const figure = (value: number | null, percent = false) => (value === null ? '–' : percent ? `${(value * 100).toFixed(1)} %` : String(value));
const dayBefore = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/**
 * The lifecycle model of this account: the fields admins change most, with the model schema's errors next to each
 * field as they type (and the backend's cross-checks after Save); Preview replays the saved draft on the recorded
 * facts in the background (the page polls its progress, and stops when it ends or the page closes) and shows flow,
 * stock and CVR of the published model and the draft side by side, flagged when the draft changed since; Publish (after a
 * confirmation listing the changes and the preview's headline differences) makes it the rules from that instant; the
 * history shows each revision's changes and rolls back to any of them, with the same confirmation.
 */
export function SettingsPage({ context, actions, api: given, pollMs = PREVIEW_POLL_MS }: SettingsPageProps) {
  const api = useMemo(() => given ?? createSettingsApi(identityOf(context)), [given, context]);
  const [settings, setSettings] = useState<ModelSettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [document, setDocument] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [dirty, setDirty] = useState(false);
  const [serverIssues, setServerIssues] = useState<Issues>({});
  const [busy, setBusy] = useState<'save' | 'preview' | 'publish' | null>(null);
  const [message, setMessage] = useState<{ variant: 'success' | 'danger'; text: string } | null>(null);
  const [previewJob, setPreviewJob] = useState<PreviewJobView | null>(null);
  const [history, setHistory] = useState<ModelRevisionList | null>(null);
  const [diff, setDiff] = useState<ModelDiffView | null>(null);
  const [showJson, setShowJson] = useState(false);
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [reevaluation, setReevaluation] = useState<ReevaluationView | null>(null);
  /** The revision whose publish confirmation is open. */
  const [confirming, setConfirming] = useState<number | null>(null);

  // setState only in the answer's callbacks: the effect below starts the load, the answer updates the page.
  const load = useCallback(
    () =>
      Promise.all([api.load(), api.revisions(), api.reevaluation(), api.latestPreview()]).then(
        ([view, revisions, job, preview]) => {
          const editing = view.draft ?? view.published;
          setReevaluation(job.reevaluation);
          setPreviewJob(preview.job);
          setLoadError(null);
          setSettings(view);
          setHistory(revisions);
          setDocument(editing.document);
          setJsonText(JSON.stringify(editing.document, null, 2));
          setNote(view.draft?.note ?? '');
          setDirty(false);
        },
        (error: unknown) => setLoadError(messageOf(error)),
      ),
    [api],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // A running preview is asked for its progress every pollMs, one request at a time (each answer schedules the next);
  // polling stops when the job ends, another job replaces it, or the page closes.
  useEffect(() => {
    if (previewJob?.status !== 'running') return;
    let live = true;
    const timer = setTimeout(() => {
      api.previewJob(previewJob.id).then(
        (answer) => {
          if (live) setPreviewJob(answer.job);
        },
        (error: unknown) => {
          if (!live) return;
          setMessage({ variant: 'danger', text: `The preview's progress could not be read: ${messageOf(error)}` });
          setPreviewJob({ ...previewJob });
        },
      );
    }, pollMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, previewJob, pollMs]);

  const issues = useMemo(() => ({ ...serverIssues, ...schemaIssues(document) }), [document, serverIssues]);
  const fields = useMemo(() => editableFields(document), [document]);
  const catalogue = useMemo(() => (settings ? fastpassCatalogue(settings.published.document, settings.draft?.document, document) : []), [settings, document]);

  if (loadError)
    return (
      <ErrorState title="The lifecycle model could not be loaded">
        {[
          <Text key="m">{loadError}</Text>,
          <Button key="r" onClick={() => void load()}>
            Try again
          </Button>,
        ]}
      </ErrorState>
    );
  if (!settings) return <LoadingSpinner label="Loading the lifecycle model…" />;

  const edit = (next: unknown) => {
    setDocument(next);
    setJsonText(JSON.stringify(next, null, 2));
    setServerIssues({});
    setDirty(true);
  };
  const draft = settings.draft;
  const invalid = Object.keys(issues).length > 0;

  const save = async () => {
    setBusy('save');
    setMessage(null);
    try {
      const answer = await api.saveDraft(document, note);
      if ('invalid' in answer) {
        setServerIssues(Object.fromEntries(answer.invalid.issues.map((issue) => [issue.path, issue.message])));
        setMessage({ variant: 'danger', text: `The draft was not saved: ${answer.invalid.message}.` });
      } else {
        setSettings({ ...settings, draft: answer.saved });
        setDirty(false);
        // The backend says the same at the next read: the preview was of the draft as it was before this save.
        if (previewJob) setPreviewJob({ ...previewJob, stale: true });
        setMessage({ variant: 'success', text: `Draft revision ${answer.saved.revision} saved. Preview it before publishing.` });
      }
    } catch (error) {
      setMessage({ variant: 'danger', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  };

  const runPreview = async () => {
    setBusy('preview');
    setMessage(null);
    try {
      setPreviewJob((await api.startPreview({ from: dayBefore(PREVIEW_DAYS) })).job);
    } catch (error) {
      setMessage({ variant: 'danger', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  };

  const publish = async (revision: number) => {
    actions?.closeOverlay(confirmationId(revision));
    setConfirming(null);
    setBusy('publish');
    setMessage(null);
    try {
      const answer = await api.publish(revision);
      await load();
      setDiff(null);
      setMessage({ variant: 'success', text: `Revision ${answer.published.revision} is published: new decisions follow it from now on.` });
    } catch (error) {
      setMessage({ variant: 'danger', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  };

  const reevaluate = async () => {
    try {
      setReevaluation((await api.startReevaluation()).reevaluation);
    } catch (error) {
      setMessage({ variant: 'danger', text: messageOf(error) });
    }
  };

  const refreshReevaluation = async () => {
    try {
      setReevaluation((await api.reevaluation()).reevaluation);
    } catch (error) {
      setMessage({ variant: 'danger', text: messageOf(error) });
    }
  };

  const showDiff = async (revision: number) => {
    try {
      setDiff(await api.diff(revision));
    } catch (error) {
      setMessage({ variant: 'danger', text: messageOf(error) });
    }
  };

  // The Publish confirmation names what the latest finished preview of this draft moved (none when it is out of date).
  const previewed: PreviewAnswer | null = previewJob?.status === 'done' && !previewJob.stale ? previewJob.result : null;
  const confirmationOf = (revision: number, kind: 'publish' | 'rollback') => (
    <PublishConfirmation
      api={api}
      revision={revision}
      published={settings.published.revision}
      kind={kind}
      open={confirming === revision}
      preview={previewed}
      busy={busy === 'publish'}
      onConfirm={() => void publish(revision)}
      onCancel={() => {
        actions?.closeOverlay(confirmationId(revision));
        setConfirming(null);
      }}
      onClose={() => setConfirming(null)}
    />
  );

  const fieldInput = (field: ModelField) => {
    const key = pathKey(field.path);
    const value = getAt(document, field.path);
    const common = { name: key, label: field.label, error: issues[key] !== undefined, ...(issues[key] !== undefined && { validationMessage: issues[key] }) };
    if (field.kind === 'number') {
      return (
        <NumberInput
          key={key}
          {...common}
          {...(typeof value === 'number' && { value })}
          onChange={(next: number) => edit(setAt(document, field.path, Number.isFinite(next) ? next : undefined))}
        />
      );
    }
    if (field.kind === 'list') {
      return <TextArea key={key} {...common} value={Array.isArray(value) ? value.join(', ') : ''} onChange={(next: string) => edit(setAt(document, field.path, parseList(next)))} />;
    }
    return <Input key={key} {...common} value={typeof value === 'string' ? value : ''} onChange={(next: string) => edit(setAt(document, field.path, next))} />;
  };

  return (
    <Flex direction="column" gap="md">
      <Text>
        Published: revision {settings.published.revision}
        {settings.published.publishedBy ? ` by ${settings.published.publishedBy}` : ''}
        {settings.published.publishedAt ? ` on ${settings.published.publishedAt.slice(0, 10)}` : ''}.{' '}
        {draft ? `Draft: revision ${draft.revision}${draft.author ? ` by ${draft.author}` : ''}${dirty ? ' (unsaved changes)' : ''}.` : dirty ? 'Unsaved changes.' : 'No draft.'}
      </Text>
      {message && (
        <Alert title={message.variant === 'success' ? 'Done' : 'Not done'} variant={message.variant}>
          {message.text}
        </Alert>
      )}
      {issues[''] !== undefined && (
        <Alert title="The model has a problem" variant="danger">
          {issues['']}
        </Alert>
      )}
      {SECTIONS.map((section) => {
        const inSection = fields.filter((field) => field.section === section);
        if (inSection.length === 0) return null;
        return (
          <Flex key={section} direction="column" gap="sm">
            <Heading>{section}</Heading>
            {section === 'Health' && issues['health.weights'] !== undefined && <Text variant="microcopy">{issues['health.weights']}</Text>}
            {inSection.map(fieldInput)}
          </Flex>
        );
      })}
      <Heading>Fastpass triggers</Heading>
      {catalogue.map((rule) => (
        <Toggle
          key={String(rule['id'])}
          name={`fastpass.${String(rule['id'])}`}
          label={`${String(rule['id'])}: ${String(rule['reason'] ?? '')}`}
          checked={fastpassOn(document, String(rule['id']))}
          onChange={(on: boolean) => edit(setFastpass(document, rule, on))}
        />
      ))}
      <Toggle name="show-json" label="Advanced: the whole model as JSON" checked={showJson} onChange={setShowJson} />
      {showJson && (
        <TextArea
          name="model-json"
          label="Model (JSON)"
          rows={20}
          value={jsonText}
          error={jsonError !== null}
          {...(jsonError !== null && { validationMessage: jsonError })}
          onChange={(text: string) => {
            setJsonText(text);
            try {
              const parsed: unknown = JSON.parse(text);
              setJsonError(null);
              setDocument(parsed);
              setServerIssues({});
              setDirty(true);
            } catch {
              setJsonError('This is not valid JSON yet.');
            }
          }}
        />
      )}
      <Divider />
      <Input
        name="note"
        label="What changed and why (saved with the revision)"
        value={note}
        onChange={(text: string) => {
          setNote(text);
          setDirty(true);
        }}
      />
      <Flex direction="row" gap="sm">
        <LoadingButton testId="save-draft" loading={busy === 'save'} disabled={invalid || jsonError !== null || !dirty} onClick={() => void save()}>
          Save draft
        </LoadingButton>
        <LoadingButton testId="preview" loading={busy === 'preview' || previewJob?.status === 'running'} disabled={!draft || dirty} onClick={() => void runPreview()}>
          Preview the draft
        </LoadingButton>
        {draft && !dirty && (
          <LoadingButton
            testId="publish"
            variant={previewed ? 'primary' : 'secondary'}
            loading={busy === 'publish'}
            onClick={() => setConfirming(draft.revision)}
            overlay={confirmationOf(draft.revision, 'publish')}
          >
            {`Publish revision ${draft.revision}…`}
          </LoadingButton>
        )}
      </Flex>
      {previewJob && <PreviewPanel job={previewJob} />}
      <Divider />
      <Heading>Re-evaluate every record now</Heading>
      <Text>
        Publishing applies to each record&apos;s next decision. To decide every record again under the published revision now, start a re-evaluation: it runs in the background at
        HubSpot&apos;s rate limit.
      </Text>
      {reevaluation && (
        <Text testId="reevaluation-progress">
          {reevaluation.finishedAt
            ? `Last re-evaluation (revision ${reevaluation.revision ?? '–'}) finished ${reevaluation.finishedAt.slice(0, 10)}: ${reevaluation.recordsDone} records, ${reevaluation.transitions} moves.`
            : `Re-evaluating under revision ${reevaluation.revision ?? '–'}: ${reevaluation.recordsDone} records done so far.`}
        </Text>
      )}
      <Flex direction="row" gap="sm">
        <Button testId="reevaluate" disabled={reevaluation !== null && reevaluation.finishedAt === null} onClick={() => void reevaluate()}>
          Re-evaluate every record now
        </Button>
        {reevaluation && reevaluation.finishedAt === null && (
          <Button testId="reevaluation-refresh" onClick={() => void refreshReevaluation()}>
            Refresh progress
          </Button>
        )}
      </Flex>
      <Divider />
      <Heading>History</Heading>
      {history && (
        <Table testId="history">
          <TableHead>
            <TableRow>
              <TableHeader>Revision</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Author</TableHeader>
              <TableHeader>Note</TableHeader>
              <TableHeader>Published</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {history.revisions.map((revision) => (
              <TableRow key={revision.revision}>
                <TableCell>{revision.revision}</TableCell>
                <TableCell>{revision.status}</TableCell>
                <TableCell>{revision.author ?? '–'}</TableCell>
                <TableCell>{revision.note}</TableCell>
                <TableCell>{revision.publishedAt ? `${revision.publishedAt.slice(0, 10)}${revision.publishedBy ? ` by ${revision.publishedBy}` : ''}` : '–'}</TableCell>
                <TableCell>
                  <Flex direction="row" gap="xs">
                    {revision.status !== 'published' && (
                      <Button testId={`diff-${revision.revision}`} size="xs" onClick={() => void showDiff(revision.revision)}>{`Changes in ${revision.revision}`}</Button>
                    )}
                    {revision.status === 'archived' && (
                      <Button
                        testId={`rollback-${revision.revision}`}
                        size="xs"
                        variant="destructive"
                        onClick={() => setConfirming(revision.revision)}
                        overlay={confirmationOf(revision.revision, 'rollback')}
                      >
                        {`Roll back to ${revision.revision}…`}
                      </Button>
                    )}
                  </Flex>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {diff && (
        <Flex direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>{`Revision ${diff.revision} against the published revision ${diff.against}: ${diff.changes.length} change(s)`}</Text>
          {diff.changes.map((change) => (
            <Text key={change.path}>{`${change.path}: ${JSON.stringify(change.before) ?? '(none)'} → ${JSON.stringify(change.after) ?? '(none)'}`}</Text>
          ))}
        </Flex>
      )}
    </Flex>
  );
}

/** The preview job: its progress while it runs, its error, or its comparison (flagged when the draft changed since). */
function PreviewPanel({ job }: { job: PreviewJobView }) {
  if (job.status === 'running') {
    const { contactsDone, contactsTotal } = job.progress;
    return (
      <Flex direction="column" gap="xs">
        <ProgressBar
          testId="preview-progress"
          title={`Previewing draft ${job.draftRevision}`}
          value={contactsDone}
          maxValue={Math.max(contactsTotal, 1)}
          showPercentage={true}
          valueDescription={`${contactsDone} of ${contactsTotal} contacts replayed`}
        />
        <Text variant="microcopy">The replay runs in the background: you can leave this page and come back to its result.</Text>
      </Flex>
    );
  }
  if (job.status === 'failed') {
    return (
      <Alert title="The preview failed" variant="danger">
        {`${job.error ?? 'The preview did not finish.'}`}
      </Alert>
    );
  }
  if (job.status === 'superseded' || job.result === null) {
    return <Text>{`The preview of draft ${job.draftRevision} was replaced by a preview of the changed draft.`}</Text>;
  }
  return (
    <Flex direction="column" gap="xs">
      {job.stale && (
        <Alert title="This preview is out of date" variant="warning">
          {`It replayed draft ${job.draftRevision} as it was on ${job.startedAt.slice(0, 10)}; the draft or the published revision has changed since. Preview again to see the draft as it is now.`}
        </Alert>
      )}
      <PreviewTable preview={job.result} />
    </Flex>
  );
}

/** Published model and draft side by side, per stage: flow in, stock at the end, CVR. */
function PreviewTable({ preview }: { preview: PreviewAnswer }) {
  if (preview.unreadable) {
    return (
      <Alert
        title="No preview"
        variant="warning"
      >{`The draft reads ${preview.unreadable.properties.join(', ')}, not stored for ${preview.unreadable.contacts} contacts, so nothing was compared. \`lifecycle replay\` reads them from HubSpot; the store keeps them once the published model reads them.`}</Alert>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      {preview.publishedPartial && (
        <Alert title="Published side partial" variant="warning">
          {preview.publishedPartial.message}
        </Alert>
      )}
      <Text>{`Replayed ${preview.contacts} contacts from ${preview.period.start.slice(0, 10)} to ${preview.period.end.slice(0, 10)}: revision ${preview.publishedRevision ?? '–'} (published) → draft ${preview.draftRevision}.`}</Text>
      <Table testId="preview-table">
        <TableHead>
          <TableRow>
            <TableHeader>Stage</TableHeader>
            <TableHeader>Flow in</TableHeader>
            <TableHeader>Stock at end</TableHeader>
            <TableHeader>CVR</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.stages.map((stage) => (
            <TableRow key={stage.stageId}>
              <TableCell>{stage.label}</TableCell>
              <TableCell>{`${figure(stage.flowIn.current)} → ${figure(stage.flowIn.whatIf)}`}</TableCell>
              <TableCell>{`${figure(stage.ending.current)} → ${figure(stage.ending.whatIf)}`}</TableCell>
              <TableCell>{`${figure(stage.cvr.current, true)} → ${figure(stage.cvr.whatIf, true)}`}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
