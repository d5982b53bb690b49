import { useEffect, useState } from 'react';
import { Alert, Button, Flex, LoadingButton, LoadingSpinner, Modal, ModalBody, ModalFooter, Text } from '@hubspot/ui-extensions';
import { messageOf, type SettingsApi } from './backend.ts';
import type { ModelDiffView, PreviewAnswer } from './contract.ts';

/** The most changes listed in the confirmation; the history's "Changes in N" shows them all. */
export const CHANGES_SHOWN = 12;
/** The most stages whose preview figures moved that the confirmation names. */
export const HEADLINES_SHOWN = 5;

export const confirmationId = (revision: number) => `confirm-publish-${revision}`;

const figure = (value: number | null, percent = false) => (value === null ? '–' : percent ? `${(value * 100).toFixed(1)} %` : String(value));
const shown = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

/** The stages whose flow in, stock or CVR the preview changed, the largest flow change first. */
export function previewHeadlines(preview: PreviewAnswer): string[] {
  const moved = preview.stages.filter((s) => [s.flowIn, s.ending, s.cvr].some((f) => f.current !== f.whatIf));
  moved.sort((a, b) => Math.abs(b.flowIn.delta ?? 0) - Math.abs(a.flowIn.delta ?? 0));
  return moved.map((s) => {
    const parts: string[] = [];
    if (s.flowIn.current !== s.flowIn.whatIf) parts.push(`flow in ${figure(s.flowIn.current)} → ${figure(s.flowIn.whatIf)}`);
    if (s.ending.current !== s.ending.whatIf) parts.push(`stock at end ${figure(s.ending.current)} → ${figure(s.ending.whatIf)}`);
    if (s.cvr.current !== s.cvr.whatIf) parts.push(`CVR ${figure(s.cvr.current, true)} → ${figure(s.cvr.whatIf, true)}`);
    return `${s.label}: ${parts.join(', ')}`;
  });
}

interface PublishConfirmationProps {
  api: SettingsApi;
  revision: number;
  /** The published revision it replaces. */
  published: number;
  kind: 'publish' | 'rollback';
  /** True while the admin has the confirmation open: the diff is read then, not for every revision on the page. */
  open: boolean;
  /** The last preview run on this page, if any; shown only when it was the preview of `revision`. */
  preview: PreviewAnswer | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  onClose: () => void;
}

/**
 * Asks before a revision becomes the rules (a HubSpot Modal opened by the Publish or Roll back button, as
 * ui-extensions 0.17 opens overlays): what changes against the published revision, path by path, and, when the
 * admin previewed this draft, the funnel figures the preview moved. Nothing is published until "Publish" here.
 */
export function PublishConfirmation({ api, revision, published, kind, open, preview, busy, onConfirm, onCancel, onClose }: PublishConfirmationProps) {
  const [diff, setDiff] = useState<ModelDiffView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    api.diff(revision).then(
      (answer) => {
        if (!live) return;
        setError(null);
        setDiff(answer);
      },
      (failure: unknown) => {
        if (live) setError(messageOf(failure));
      },
    );
    return () => {
      live = false;
    };
  }, [api, revision, open]);

  const previewed = preview !== null && preview.draftRevision === revision && preview.unreadable === null ? preview : null;
  const headlines = previewed ? previewHeadlines(previewed) : [];
  const title = kind === 'rollback' ? `Roll back to revision ${revision}?` : `Publish revision ${revision}?`;

  return (
    <Modal id={confirmationId(revision)} title={title} variant={kind === 'rollback' ? 'danger' : 'default'} width="md" onClose={onClose}>
      <ModalBody>
        <Flex direction="column" gap="sm">
          <Text>{`Revision ${revision} replaces the published revision ${published}: every decision from now on follows it. Moves already recorded keep the revision that decided them.`}</Text>
          {error !== null && (
            <Alert title="The changes could not be read" variant="danger">
              {error}
            </Alert>
          )}
          {error === null && diff === null && <LoadingSpinner label="Reading the changes…" />}
          {diff !== null && diff.revision === revision && (
            <Flex direction="column" gap="xs">
              <Text format={{ fontWeight: 'demibold' }} testId="confirm-change-count">
                {diff.changes.length === 0 ? `No change against revision ${diff.against}.` : `${diff.changes.length} change(s) against revision ${diff.against}:`}
              </Text>
              {diff.changes.slice(0, CHANGES_SHOWN).map((change) => (
                <Text key={change.path}>{`${change.path}: ${shown(change.before)} → ${shown(change.after)}`}</Text>
              ))}
              {diff.changes.length > CHANGES_SHOWN && <Text variant="microcopy">{`…and ${diff.changes.length - CHANGES_SHOWN} more (History → Changes in ${revision}).`}</Text>}
            </Flex>
          )}
          {kind === 'publish' && !previewed && (
            <Text testId="confirm-no-preview" variant="microcopy">
              No preview was run for this draft: Preview shows what it would have done to the recorded funnel.
            </Text>
          )}
          {previewed && (
            <Flex direction="column" gap="xs">
              <Text format={{ fontWeight: 'demibold' }} testId="confirm-preview">
                {headlines.length === 0
                  ? `The preview (${previewed.contacts} contacts, ${previewed.period.start.slice(0, 10)} to ${previewed.period.end.slice(0, 10)}) moved no stage's flow, stock or CVR.`
                  : `The preview (${previewed.contacts} contacts, ${previewed.period.start.slice(0, 10)} to ${previewed.period.end.slice(0, 10)}) moved ${headlines.length} stage(s):`}
              </Text>
              {headlines.slice(0, HEADLINES_SHOWN).map((line) => (
                <Text key={line}>{line}</Text>
              ))}
              <Text variant="microcopy">{`Moves recorded: ${previewed.ledgerRows.current} → ${previewed.ledgerRows.whatIf}.`}</Text>
            </Flex>
          )}
        </Flex>
      </ModalBody>
      <ModalFooter>
        <Button testId="cancel-publish" onClick={onCancel}>
          Cancel
        </Button>
        <LoadingButton testId="confirm-publish" variant={kind === 'rollback' ? 'destructive' : 'primary'} loading={busy} disabled={diff === null && error === null} onClick={onConfirm}>
          {kind === 'rollback' ? `Roll back to ${revision}` : `Publish revision ${revision}`}
        </LoadingButton>
      </ModalFooter>
    </Modal>
  );
}
