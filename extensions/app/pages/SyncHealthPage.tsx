import { Alert, Button, Flex, Heading, ProgressBar, Statistics, StatisticsItem, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { BackfillStartResultSchema, DeadLetterRetryResultSchema, pageApiPaths, SyncHealthViewSchema, type BackfillState, type SyncHealthView } from './contract.ts';
import { messageOf } from './shared/backend.ts';
import { Failed, Loading, when } from './shared/PageStates.tsx';
import { usePageBackend, usePageData } from './shared/usePageData.ts';

/**
 * Sync health: queue depth and lag, the last webhook received, HubSpot 429s, daily-limit parking, dead letters and
 * quarantined events (with a retry button where there is something to re-queue), and the backfill with a start button.
 */
export function SyncHealthPage() {
  const { state, reload } = usePageData(pageApiPaths.syncHealth(), SyncHealthViewSchema, {});
  // Kept here, above the reload: what a button did stays on screen while the page reloads.
  const [notice, setNotice] = useState<Notice | null>(null);
  return (
    <Flex direction="column" gap="md">
      {notice && (
        <Alert title="Sync health" variant={notice.variant}>
          {notice.text}
        </Alert>
      )}
      {state.status === 'loading' && <Loading label="Loading sync health" />}
      {state.status === 'error' && <Failed message={state.message} />}
      {state.status === 'ready' && <SyncHealthDetails view={state.data} reload={reload} setNotice={setNotice} />}
    </Flex>
  );
}

interface Notice {
  variant: 'success' | 'warning' | 'danger';
  text: string;
}

function SyncHealthDetails({ view, reload, setNotice }: { view: SyncHealthView; reload: () => void; setNotice: (notice: Notice) => void }) {
  const call = usePageBackend();

  const retry = (id: number) => {
    call(pageApiPaths.retryDeadLetter(id), DeadLetterRetryResultSchema, { method: 'POST' }).then(
      (result) => {
        setNotice(
          result.outcome === 'requeued'
            ? { variant: 'success', text: `Dead letter ${id} is back in its queue.` }
            : { variant: 'warning', text: `Dead letter ${id} has nothing to re-queue (already retried, or a quarantined event).` },
        );
        reload();
      },
      (error: unknown) => setNotice({ variant: 'danger', text: messageOf(error) }),
    );
  };
  const startBackfill = () => {
    call(pageApiPaths.startBackfill(), BackfillStartResultSchema, { method: 'POST' }).then(
      (result) => {
        setNotice(result.outcome === 'started' ? { variant: 'success', text: 'Backfill started.' } : { variant: 'warning', text: 'A backfill is already running.' });
        reload();
      },
      (error: unknown) => setNotice({ variant: 'danger', text: messageOf(error) }),
    );
  };

  const { queues } = view;
  return (
    <Flex direction="column" gap="md">
      {queues.failingSince && (
        <Alert title="HubSpot is failing" variant="warning">
          Work has been waiting on HubSpot since {when(queues.failingSince)}; it is retried automatically.
        </Alert>
      )}
      {view.dailyLimit.map((parked) => (
        <Alert key={parked.raisedAt} title="Daily API limit reached" variant="danger">
          {parked.message} ({when(parked.raisedAt)})
        </Alert>
      ))}
      <Statistics>
        <StatisticsItem label="Events waiting" number={queues.inboxPending} />
        <StatisticsItem label="Writes waiting" number={queues.outboxPending} />
        <StatisticsItem label="Lag (oldest waiting event)" number={queues.lagSeconds === null ? '—' : `${Math.round(queues.lagSeconds)} s`} />
        <StatisticsItem label={`HubSpot 429s (last ${view.rateLimits.windowMinutes} min)`} number={view.rateLimits.tooManyRequests} />
      </Statistics>
      <Text testId="last-webhook">Last webhook received: {when(view.lastWebhookReceivedAt)}</Text>
      <Heading>Dead letters and quarantined events</Heading>
      {view.deadLetters.items.length === 0 ? (
        <Text testId="no-dead-letters">Nothing failed for good.</Text>
      ) : (
        <Table bordered={true} testId="dead-letters">
          <TableHead>
            <TableRow>
              <TableHeader>Record</TableHeader>
              <TableHeader>Kind</TableHeader>
              <TableHeader>Failed</TableHeader>
              <TableHeader>Reason</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {view.deadLetters.items.map((letter) => (
              <TableRow key={letter.id}>
                <TableCell>{letter.record}</TableCell>
                <TableCell>{letter.source === 'webhook' ? 'quarantined event' : letter.source === 'inbox' ? 'event' : 'HubSpot write'}</TableCell>
                <TableCell>{when(letter.failedAt)}</TableCell>
                <TableCell>{letter.reason}</TableCell>
                <TableCell>
                  {letter.retryable ? (
                    <Button testId={`retry-${letter.id}`} size="xs" onClick={() => retry(letter.id)}>
                      Retry
                    </Button>
                  ) : (
                    'raw JSON kept'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Heading>Backfill</Heading>
      <BackfillProgress backfill={view.backfill} />
      <Button testId="start-backfill" variant="primary" disabled={view.backfill.status === 'running'} onClick={startBackfill}>
        {view.backfill.status === 'paused' ? 'Resume backfill' : view.backfill.status === 'finished' ? 'Run backfill again' : 'Start backfill'}
      </Button>
    </Flex>
  );
}

function BackfillProgress({ backfill }: { backfill: BackfillState }) {
  if (backfill.status === 'never_run') return <Text testId="backfill-status">No backfill has run for this account yet.</Text>;
  const description =
    backfill.status === 'finished'
      ? `Finished ${when(backfill.finishedAt)}: ${backfill.scanned} contacts`
      : `${backfill.status === 'running' ? 'Running' : 'Paused'}: ${backfill.scanned}${backfill.total === null ? '' : ` of ${backfill.total}`} contacts`;
  return (
    <Flex direction="column" gap="xs">
      <ProgressBar
        testId="backfill-progress"
        title="Contacts scanned"
        value={backfill.status === 'finished' ? 1 : backfill.scanned}
        maxValue={backfill.status === 'finished' ? 1 : (backfill.total ?? Math.max(backfill.scanned, 1))}
        valueDescription={description}
        showPercentage={backfill.total !== null || backfill.status === 'finished'}
      />
      {backfill.lastError && <Text testId="backfill-error">Last run stopped: {backfill.lastError}</Text>}
    </Flex>
  );
}
