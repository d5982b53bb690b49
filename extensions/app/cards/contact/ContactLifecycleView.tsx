import { Alert, DescriptionList, DescriptionListItem, Divider, Flex, Heading, ProgressBar, StatusTag, StepIndicator, Tag, Text } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { ContactLifecycleView as View, RecycleState, TimeInStage } from '../contract.ts';
import type { Formatters } from '../shared/format.ts';
import { TransitionHistoryTable } from '../shared/TransitionHistoryTable.tsx';

type SyncedView = Extract<View, { synced: true }>;

interface ContactLifecycleViewProps {
  view: SyncedView;
  format: Formatters;
  /** The actions panel; the view only places it. */
  actions: ReactNode;
}

/** Pure presentation of a contact's lifecycle: where it is, for how long, why, and how it got there. */
export function ContactLifecycleView({ view, format, actions }: ContactLifecycleViewProps) {
  const pathIndex = view.path.findIndex((stage) => stage.id === view.stage.id);
  return (
    <Flex direction="column" gap="md">
      <Flex direction="row" gap="sm" align="center">
        <Heading>{view.stage.label}</Heading>
        {view.stage.kind !== 'path' && <Tag variant={view.stage.kind === 'recycle' ? 'warning' : 'error'}>Off the path</Tag>}
        <Text variant="microcopy">{`since ${format.date(view.stageEnteredAt)}`}</Text>
      </Flex>
      {/* Detour stages are not steps of the path: show the path without a current step. */}
      <StepIndicator stepNames={view.path.map((stage) => stage.label)} {...(pathIndex >= 0 && { currentStep: pathIndex })} />
      <TimeInStagePanel time={view.timeInStage} format={format} />
      {view.recycle && <RecyclePanel recycle={view.recycle} format={format} />}
      {view.deadEndReason && (
        <Alert title="Dead end" variant="warning">
          {`${view.deadEndReason.label}. This record is outside nurture and is never recycled.`}
        </Alert>
      )}
      <Divider />
      <Heading>History</Heading>
      <TransitionHistoryTable transitions={view.history} format={format} emptyText="No transitions recorded yet." />
      <Divider />
      {actions}
    </Flex>
  );
}

function TimeInStagePanel({ time, format }: { time: TimeInStage; format: Formatters }) {
  if (!time.sla) return <Text testId="time-in-stage">{`In stage for ${format.days(time.days)} (no SLA for this stage).`}</Text>;
  const breached = time.sla.status === 'breached';
  return (
    <Flex direction="column" gap="xs">
      <ProgressBar
        title="Time in stage"
        value={Math.min(time.days, time.sla.days)}
        maxValue={time.sla.days}
        valueDescription={`${format.days(time.days)} of ${format.days(time.sla.days)} SLA`}
        variant={breached ? 'danger' : 'success'}
      />
      <StatusTag variant={breached ? 'danger' : 'success'}>{breached ? 'SLA breached' : 'Within SLA'}</StatusTag>
    </Flex>
  );
}

function RecyclePanel({ recycle, format }: { recycle: RecycleState; format: Formatters }) {
  return (
    <DescriptionList direction="row" testId="recycle-state">
      <DescriptionListItem label="Recycle reason">
        <Text>{recycle.reason.label}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Times recycled">
        <Text>{format.number(recycle.count)}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Marketing email paused until">
        <Text>{recycle.marketingPausedUntil ? format.date(recycle.marketingPausedUntil) : 'Not paused'}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Pause left">
        <Text>{recycle.pauseDaysLeft === null ? '—' : format.days(recycle.pauseDaysLeft)}</Text>
      </DescriptionListItem>
    </DescriptionList>
  );
}
