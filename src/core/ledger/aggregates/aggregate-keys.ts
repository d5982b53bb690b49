import { DAY_MS } from '../../engine/time';
import type { LedgerRow } from '../ledger-row';

/** A UTC day number (days since the epoch): the time grain of the aggregates. */
export const dayOf = (at: number): number => Math.floor(at / DAY_MS);

/** Ledger stage id used as `fromStage` of a record's first move: it entered the lifecycle. Not a valid stage id. */
export const OUTSIDE = '';
/** Reason code of a row without one, as stored in the aggregates (the report shows it as NO_REASON). */
export const NO_REASON_CODE = '';

/**
 * One move of one record, in the context of its previous row: what the report's flow figures count. `fromStage`
 * is where the record's own previous row put it (OUTSIDE for its first row), never the row's stored fromStage,
 * exactly as the ledger replay reads it. `skipped` is the row's skipped list as JSON.
 */
export interface MoveKey {
  objectType: LedgerRow['objectType'];
  day: number;
  fromStage: string;
  toStage: string;
  kind: LedgerRow['kind'];
  reasonCode: string;
  skipped: string;
}

/** A stay that ended: in `stage` from `enteredDay` until a move to `exitTo` on `exitedDay` (cohort CVR, SLA). */
export interface StayKey {
  objectType: LedgerRow['objectType'];
  stage: string;
  enteredDay: number;
  exitedDay: number;
  exitTo: string;
  /** The exit was a skip (a Fastpass, or any move that bypassed stages). */
  exitSkip: boolean;
}

/** A stay that ended on `exitedDay`, by duration bucket (velocity). */
export interface DurationKey {
  objectType: LedgerRow['objectType'];
  stage: string;
  exitedDay: number;
  bucket: number;
}

export type Counted<K> = K & { count: number };
export type CountedDuration = DurationKey & { count: number; totalMs: number };
