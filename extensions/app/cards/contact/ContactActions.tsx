import { Alert, Button, Flex, Heading, LoadingButton, Select, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { AllowedActions, ContactAction, ContactActionRequest } from '../contract.ts';
import type { ActionStatus } from './useContactAction.ts';

interface ContactActionsProps {
  allowed: AllowedActions;
  status: ActionStatus;
  onRun: <A extends ContactAction>(action: A, body: ContactActionRequest[A]) => void;
}

/**
 * Recycle, dead end and fastpass, each offered only with the options the model allows for this record. Dead end is
 * terminal, so it asks for a confirmation before it is sent.
 */
export function ContactActions({ allowed, status, onRun }: ContactActionsProps) {
  const [recycleReason, setRecycleReason] = useState('');
  const [deadEndReason, setDeadEndReason] = useState('');
  const [fastpassTarget, setFastpassTarget] = useState('');
  const [confirmingDeadEnd, setConfirmingDeadEnd] = useState(false);
  const pending = status.status === 'pending' ? status.action : null;
  const busy = pending !== null;

  return (
    <Flex direction="column" gap="sm">
      <Heading>Actions</Heading>
      {allowed.recycleReasons.length > 0 && (
        <Flex direction="row" gap="sm" align="end">
          <Select
            name="recycle-reason"
            label="Recycle with reason"
            value={recycleReason}
            options={allowed.recycleReasons.map((r) => ({ value: r.code, label: r.label }))}
            onChange={(value) => setRecycleReason(String(value))}
          />
          <LoadingButton testId="recycle" loading={pending === 'recycle'} disabled={busy || recycleReason === ''} onClick={() => onRun('recycle', { reason: recycleReason })}>
            Recycle
          </LoadingButton>
        </Flex>
      )}
      {allowed.deadEndReasons.length > 0 && (
        <Flex direction="row" gap="sm" align="end">
          <Select
            name="dead-end-reason"
            label="Dead end with reason"
            value={deadEndReason}
            options={allowed.deadEndReasons.map((r) => ({ value: r.code, label: r.label }))}
            onChange={(value) => setDeadEndReason(String(value))}
          />
          <LoadingButton
            testId="dead-end"
            variant="destructive"
            loading={pending === 'dead-end'}
            disabled={busy || deadEndReason === '' || confirmingDeadEnd}
            onClick={() => setConfirmingDeadEnd(true)}
          >
            Mark dead end
          </LoadingButton>
        </Flex>
      )}
      {confirmingDeadEnd && deadEndReason !== '' && (
        <ConfirmDeadEnd
          reason={allowed.deadEndReasons.find((r) => r.code === deadEndReason)?.label ?? deadEndReason}
          disabled={busy}
          onConfirm={() => {
            setConfirmingDeadEnd(false);
            onRun('dead-end', { reason: deadEndReason });
          }}
          onCancel={() => setConfirmingDeadEnd(false)}
        />
      )}
      {allowed.fastpassTargets.length > 0 && (
        <Flex direction="row" gap="sm" align="end">
          <Select
            name="fastpass-target"
            label="Fastpass to"
            value={fastpassTarget}
            options={allowed.fastpassTargets.map((s) => ({ value: s.id, label: s.label }))}
            onChange={(value) => setFastpassTarget(String(value))}
          />
          <LoadingButton testId="fastpass" loading={pending === 'fastpass'} disabled={busy || fastpassTarget === ''} onClick={() => onRun('fastpass', { to: fastpassTarget })}>
            Fastpass
          </LoadingButton>
        </Flex>
      )}
      <ActionOutcome status={status} />
    </Flex>
  );
}

/** The confirmation step of the one terminal action: says what a dead end means before it is sent. */
function ConfirmDeadEnd({ reason, disabled, onConfirm, onCancel }: { reason: string; disabled: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'bold' }}>{`Mark this contact a dead end (${reason})?`}</Text>
      <Text>A dead end is terminal: the contact leaves nurture and is never recycled; only a reopen by an admin brings it back.</Text>
      <Flex direction="row" gap="sm">
        <Button testId="confirm-dead-end" variant="destructive" disabled={disabled} onClick={onConfirm}>
          Yes, mark dead end
        </Button>
        <Button testId="cancel-dead-end" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}

/** What became of the last action: applied, refused by the model, or failed. */
export function ActionOutcome({ status }: { status: ActionStatus }) {
  switch (status.status) {
    case 'applied':
      return (
        <Alert title="Done" variant="success">
          {status.message}
        </Alert>
      );
    case 'refused':
      return (
        <Alert title="Not allowed" variant="warning">
          {status.refusal}
        </Alert>
      );
    case 'failed':
      return (
        <Alert title="The action did not go through" variant="error">
          {status.message}
        </Alert>
      );
    default:
      return null;
  }
}
