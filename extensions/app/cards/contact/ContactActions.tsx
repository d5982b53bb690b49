import { Alert, Flex, Heading, LoadingButton, Select } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { AllowedActions, ContactAction, ContactActionRequest } from '../contract.ts';
import type { ActionStatus } from './useContactAction.ts';

interface ContactActionsProps {
  allowed: AllowedActions;
  status: ActionStatus;
  onRun: <A extends ContactAction>(action: A, body: ContactActionRequest[A]) => void;
}

/** Recycle, dead end and fastpass, each offered only with the options the model allows for this record. */
export function ContactActions({ allowed, status, onRun }: ContactActionsProps) {
  const [recycleReason, setRecycleReason] = useState('');
  const [deadEndReason, setDeadEndReason] = useState('');
  const [fastpassTarget, setFastpassTarget] = useState('');
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
            disabled={busy || deadEndReason === ''}
            onClick={() => onRun('dead-end', { reason: deadEndReason })}
          >
            Mark dead end
          </LoadingButton>
        </Flex>
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
