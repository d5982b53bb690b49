import type { FLOW_STOCK_COLUMNS } from './flow-stock-rows';

/** Marketo's measure names where they exist (Beginning/Ending Balance, In/Out Flow, SLA Due/Past Due). */
export const COLUMN_TITLES: Record<(typeof FLOW_STOCK_COLUMNS)[number], string> = {
  beginning: 'Beginning',
  flowIn: 'In',
  flowOut: 'Out',
  ending: 'Ending',
  cvr: 'CVR',
  fastpassed: 'Fastpassed',
  skippedThrough: 'Skipped through',
  medianDays: 'Median days',
  slaDue: 'SLA due',
  slaPastDue: 'SLA past due',
};
