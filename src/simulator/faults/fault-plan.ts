import { z } from 'zod';
import { OBJECT_TYPES } from '../domain/object-types';

/** What can go wrong on one portal; set through `control.setFaults(portalId, plan)` or POST /_simulator/portals/:id/faults. */
export const faultPlanSchema = z.strictObject({
  /** Share of API requests answered 500 (seeded, reproducible). */
  errorRate: z.number().min(0).max(1).default(0),
  /** Real milliseconds added to every API response. */
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** Share of API requests that hang for `hangMs` real milliseconds (past the client's timeout) and then get a 504. */
  timeoutRate: z.number().min(0).max(1).default(0),
  hangMs: z.number().int().min(0).max(600_000).default(30_000),
  /** 5xx on requests whose method and path match; `times` limits how many (unlimited when absent). */
  failingRoutes: z
    .array(
      z.strictObject({
        method: z.string().toUpperCase().optional(),
        pathPattern: z.string().min(1).describe('a regular expression matched against the request path'),
        status: z.number().int().min(500).max(599).default(500),
        times: z.number().int().positive().optional(),
      }),
    )
    .default([]),
  /** Records (by id, or by email on create) that fail validation: a per-input error in batches, 400 alone. */
  failingItems: z
    .array(
      z.strictObject({
        objectType: z.enum(OBJECT_TYPES).optional(),
        ids: z.array(z.string()).min(1),
        message: z.string().default('Simulated validation failure for this record'),
      }),
    )
    .default([]),
  seed: z.number().int().default(42),
});

export type FaultPlanInput = z.input<typeof faultPlanSchema>;
export type FaultPlan = z.output<typeof faultPlanSchema>;
