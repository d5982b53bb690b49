import { Button, Flex, Input, Select, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { AUDIT_KINDS, AuditPageViewSchema, pageApiPaths, type AuditPageView } from './contract.ts';
import { Failed, Loading, when } from './shared/PageStates.tsx';
import { usePageData } from './shared/usePageData.ts';

const PAGE_SIZE = 50;

/**
 * Audit: recent transitions with reason, source and actor, newest first, filtered by the stage moved into and by
 * kind; "Older" follows the backend's keyset cursor (one page per call, never the whole ledger).
 */
export function AuditPage() {
  const [kind, setKind] = useState('');
  const [stage, setStage] = useState('');
  /** The cursors of the pages before this one; the last is this page's. */
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const { state } = usePageData(pageApiPaths.audit(), AuditPageViewSchema, { kind: kind || undefined, stage: stage.trim() || undefined, cursor, limit: PAGE_SIZE });

  return (
    <Flex direction="column" gap="md">
      <Flex direction="row" gap="md">
        <Select
          label="Kind"
          name="kind"
          value={kind}
          options={[{ value: '', label: 'All kinds' }, ...AUDIT_KINDS.map((k) => ({ value: k, label: k.replace('_', ' ') }))]}
          onChange={(value) => {
            setKind(String(value));
            setCursors([]);
          }}
        />
        <Input
          label="Moved into stage (id)"
          name="stage"
          value={stage}
          onChange={(value) => {
            setStage(value);
            setCursors([]);
          }}
        />
      </Flex>
      {state.status === 'loading' && <Loading label="Loading transitions" />}
      {state.status === 'error' && <Failed message={state.message} />}
      {state.status === 'ready' && <AuditTable view={state.data} />}
      <Flex direction="row" gap="sm">
        <Button testId="newer" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>
        <Button
          testId="older"
          disabled={state.status !== 'ready' || state.data.nextCursor === null}
          onClick={() => {
            if (state.status === 'ready' && state.data.nextCursor !== null) setCursors((c) => [...c, state.data.nextCursor as string]);
          }}
        >
          Older
        </Button>
      </Flex>
    </Flex>
  );
}

function AuditTable({ view }: { view: AuditPageView }) {
  if (view.entries.length === 0) return <Text testId="no-transitions">No transitions match.</Text>;
  return (
    <Table bordered={true} testId="audit">
      <TableHead>
        <TableRow>
          <TableHeader>When</TableHeader>
          <TableHeader>Record</TableHeader>
          <TableHeader>Move</TableHeader>
          <TableHeader>Kind</TableHeader>
          <TableHeader>Reason</TableHeader>
          <TableHeader>Source</TableHeader>
          <TableHeader>Actor</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {view.entries.map((entry) => (
          <TableRow key={entry.transitionId}>
            <TableCell>{when(entry.occurredAt)}</TableCell>
            <TableCell>{`${entry.objectType} ${entry.objectId}`}</TableCell>
            <TableCell>{`${entry.fromStage ?? '—'} → ${entry.toStage}`}</TableCell>
            <TableCell>
              <Tag>{entry.kind}</Tag>
            </TableCell>
            <TableCell>{entry.reason}</TableCell>
            <TableCell>{entry.source === 'command' ? 'requested' : 'rules'}</TableCell>
            <TableCell>{entry.actor ?? 'engine'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
