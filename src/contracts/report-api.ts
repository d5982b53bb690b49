import { z } from 'zod';

/**
 * What the reporting API (/api/reports/…, report-routes.ts) adds to a report whose figures are partial: read from the
 * ledger's aggregates while a rebuild of them is unfinished (running, or stopped and not resumed), when they hold only
 * the records it has reached. Absent from a complete report, and from one over chosen records (an owner's), which is
 * read from their ledger rows. `lifecycle report` prints the message on stderr and keeps the field in its JSON.
 */
export const PartialFiguresSchema = z.strictObject({
  reason: z.literal('aggregates_rebuild'),
  recordsDone: z.number().int().nonnegative(),
  /** About: the records the aggregates counted when the rebuild began; null when unknown. */
  recordsTotal: z.number().int().nonnegative().nullable(),
  /** For the reader: what is partial and how to finish the rebuild. */
  message: z.string(),
});
export type PartialFigures = z.infer<typeof PartialFiguresSchema>;
