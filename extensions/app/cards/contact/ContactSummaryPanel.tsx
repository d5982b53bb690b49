import { Flex, Heading, ProgressBar, Tag, Text } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { ContactLifecycleView, RecycleState, StageRef, TimeInStage } from '../contract.ts';
import type { Formatters } from '../shared/format.ts';

type SyncedContact = Extract<ContactLifecycleView, { synced: true }>;

interface ContactSummaryPanelProps {
  view: SyncedContact;
  format: Formatters;
  /** The suggested action, if any; the panel only places it. */
  action: ReactNode;
  /** The way to the full tab card. */
  fullCard: ReactNode;
}

/**
 * Pure presentation of a contact's lifecycle at sidebar width: a handful of lines, no tables, no history (the full
 * tab card has those).
 */
export function ContactSummaryPanel({ view, format, action, fullCard }: ContactSummaryPanelProps) {
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="xs" align="center" wrap="wrap">
        <Heading>{view.stage.label}</Heading>
        <PathPosition stage={view.stage} path={view.path} />
      </Flex>
      <TimeInStageBar time={view.timeInStage} format={format} />
      {view.recycle && <RecycleLines recycle={view.recycle} format={format} />}
      {view.deadEndReason && <Text testId="dead-end-reason">{`Dead end: ${view.deadEndReason.label}. Never recycled.`}</Text>}
      {action}
      {fullCard}
    </Flex>
  );
}

function PathPosition({ stage, path }: { stage: StageRef; path: StageRef[] }) {
  const index = path.findIndex((step) => step.id === stage.id);
  if (index >= 0) return <Tag testId="path-position">{`Step ${index + 1} of ${path.length}`}</Tag>;
  return (
    <Tag testId="path-position" variant={stage.kind === 'recycle' ? 'warning' : 'error'}>
      Off the path
    </Tag>
  );
}

function TimeInStageBar({ time, format }: { time: TimeInStage; format: Formatters }) {
  if (!time.sla) return <Text testId="time-in-stage">{`In stage ${format.days(time.days)}, no SLA.`}</Text>;
  const breached = time.sla.status === 'breached';
  return (
    <ProgressBar
      title={breached ? 'SLA breached' : 'Time in stage'}
      value={Math.min(time.days, time.sla.days)}
      maxValue={time.sla.days}
      valueDescription={`${format.days(time.days)} of ${format.days(time.sla.days)}`}
      variant={breached ? 'danger' : 'success'}
    />
  );
}

function RecycleLines({ recycle, format }: { recycle: RecycleState; format: Formatters }) {
  const pause = recycle.pauseDaysLeft === null ? 'Marketing email not paused.' : `Marketing email paused, ${format.days(recycle.pauseDaysLeft)} left.`;
  return (
    <Flex direction="column" gap="flush">
      <Text testId="recycle-reason">{`Recycled (${format.number(recycle.count)}×): ${recycle.reason.label}`}</Text>
      <Text testId="email-pause" variant="microcopy">
        {pause}
      </Text>
    </Flex>
  );
}
