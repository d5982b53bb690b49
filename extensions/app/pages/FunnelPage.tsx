import {
  Alert,
  BarChart,
  Box,
  Flex,
  Heading,
  LineChart,
  Select,
  Statistics,
  StatisticsItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { FunnelPageViewSchema, pageApiPaths, type FunnelPageView, type PageObjectType } from './contract.ts';
import { count, days, Failed, Loading, percent } from './shared/PageStates.tsx';
import { usePageData } from './shared/usePageData.ts';

const DAY_MS = 86_400_000;

/** The period picker's choices: whole UTC days ending today (both ends included). */
export const PERIODS = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 365 days' },
] as const;

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The `from`/`to` query of "the last n days" as of `now`. */
export function periodParams(daysBack: number, now: number): { from: string; to: string } {
  return { from: isoDay(now - (daysBack - 1) * DAY_MS), to: isoDay(now) };
}

/**
 * Funnel: the flow/stock table with detours (CVR, velocity, SLA) of a period, the stages' inflow as a bar chart and
 * the stock over the period as a line chart. One backend call per choice (aggregate-backed).
 */
export function FunnelPage() {
  const [period, setPeriod] = useState<string>('30');
  const [objectType, setObjectType] = useState<PageObjectType>('contact');
  const [now] = useState(() => Date.now());
  const { state } = usePageData(pageApiPaths.funnel(), FunnelPageViewSchema, { ...periodParams(Number(period), now), objectType });

  return (
    <Flex direction="column" gap="md">
      <Flex direction="row" gap="md">
        <Select label="Period" name="period" value={period} options={[...PERIODS]} onChange={(value) => setPeriod(String(value))} />
        <Select
          label="Records"
          name="objectType"
          value={objectType}
          options={[
            { value: 'contact', label: 'Contacts' },
            { value: 'company', label: 'Companies' },
          ]}
          onChange={(value) => setObjectType(value === 'company' ? 'company' : 'contact')}
        />
      </Flex>
      {state.status === 'loading' && <Loading label="Loading the funnel" />}
      {state.status === 'error' && <Failed message={state.message} />}
      {state.status === 'ready' && <FunnelView view={state.data} />}
    </Flex>
  );
}

function FunnelView({ view }: { view: FunnelPageView }) {
  const stages = view.rows.filter((row) => row.line === 'stage');
  const entered = stages.reduce((sum, row) => sum + row.flowIn, 0);
  const pastDue = stages.reduce((sum, row) => sum + (row.slaPastDue ?? 0), 0);
  const labels = new Map(view.stockSeries.stages.map((s) => [s.stageId, s.label]));
  const stockRows = view.stockSeries.points.flatMap((point) => Object.entries(point.stock).map(([stageId, stock]) => ({ day: point.at, stage: labels.get(stageId) ?? stageId, stock })));
  return (
    <Flex direction="column" gap="md">
      {view.partial && (
        <Alert title="Figures are partial" variant="warning" testId="partial">
          {view.partial.message}
        </Alert>
      )}
      <Text testId="period">
        {view.period.from.slice(0, 10)} to {isoDay(Date.parse(view.period.to) - DAY_MS)} (UTC)
      </Text>
      <Statistics>
        <StatisticsItem label="Moves into a stage" number={entered} />
        <StatisticsItem label="Past SLA at the end" number={pastDue} />
      </Statistics>
      <Heading>Flow and stock</Heading>
      <Table bordered={true} testId="flow-stock">
        <TableHead>
          <TableRow>
            <TableHeader>Stage</TableHeader>
            <TableHeader>Beginning</TableHeader>
            <TableHeader>In</TableHeader>
            <TableHeader>Out</TableHeader>
            <TableHeader>Ending</TableHeader>
            <TableHeader>CVR</TableHeader>
            <TableHeader>Median days</TableHeader>
            <TableHeader>Past SLA</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {view.rows.map((row) => (
            <TableRow key={`${row.line}:${row.stageId}:${row.label}`}>
              <TableCell>{row.line === 'reason' ? `  ↳ ${row.label}` : row.label}</TableCell>
              <TableCell>{count(row.beginning)}</TableCell>
              <TableCell>{count(row.flowIn)}</TableCell>
              <TableCell>{count(row.flowOut)}</TableCell>
              <TableCell>{count(row.ending)}</TableCell>
              <TableCell>{percent(row.cvr)}</TableCell>
              <TableCell>{days(row.medianDays)}</TableCell>
              <TableCell>{row.slaPastDue ? <Tag variant="warning">{String(row.slaPastDue)}</Tag> : count(row.slaPastDue)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box>
        <BarChart
          testId="inflow-chart"
          data={stages.map((row) => ({ stage: row.label, moves: row.flowIn }))}
          axes={{ x: { field: 'stage', fieldType: 'category', label: 'Stage' }, y: { field: 'moves', fieldType: 'linear', label: 'Moves in' } }}
          options={{ title: 'Inflow per stage', showTooltips: true }}
        />
      </Box>
      <Box>
        <LineChart
          testId="stock-chart"
          data={stockRows}
          axes={{ x: { field: 'day', fieldType: 'datetime', label: 'Day' }, y: { field: 'stock', fieldType: 'linear', label: 'Records' }, options: { groupFieldByColor: 'stage' } }}
          options={{ title: 'Stock per stage', showLegend: true, showTooltips: true }}
        />
      </Box>
    </Flex>
  );
}
