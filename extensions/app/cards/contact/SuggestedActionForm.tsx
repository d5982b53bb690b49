import { Flex, LoadingButton, Select, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { ContactAction, ContactActionRequest, SuggestedAction } from '../contract.ts';
import type { ActionStatus } from './useContactAction.ts';

interface SuggestedActionFormProps {
  suggestion: SuggestedAction;
  status: ActionStatus;
  onRun: <A extends ContactAction>(action: A, body: ContactActionRequest[A]) => void;
}

/** The one action the backend suggests, with its reason: a single button, or a reason and a button for a recycle. */
export function SuggestedActionForm({ suggestion, status, onRun }: SuggestedActionFormProps) {
  const [reason, setReason] = useState('');
  const pending = status.status === 'pending';
  return (
    <Flex direction="column" gap="xs">
      <Text testId="suggestion-why" variant="microcopy">
        {suggestion.why}
      </Text>
      {suggestion.action === 'recycle' ? (
        <>
          <Select
            name="suggested-recycle-reason"
            label="Recycle reason"
            value={reason}
            options={suggestion.reasons.map((r) => ({ value: r.code, label: r.label }))}
            onChange={(value) => setReason(String(value))}
          />
          <LoadingButton testId="suggested-action" size="sm" loading={pending} disabled={pending || reason === ''} onClick={() => onRun('recycle', { reason })}>
            Recycle
          </LoadingButton>
        </>
      ) : (
        <LoadingButton testId="suggested-action" size="sm" loading={pending} disabled={pending} onClick={() => onRun('fastpass', { to: suggestion.to.id })}>
          {`Move to ${suggestion.to.label}`}
        </LoadingButton>
      )}
    </Flex>
  );
}
