import { z } from 'zod';
import { CliError } from './cli-runtime';

/**
 * `--portal <id>`, the same on every command. A string first: z.coerce.number would turn "abc" into NaN and report
 * that instead of the option's meaning.
 */
export const PortalOptionSchema = z
  .string()
  .regex(/^[1-9]\d*$/, '--portal must be a HubSpot portal id (a positive whole number)')
  .transform(Number)
  .optional();

export const PORTAL_FLAGS = '--portal <id>';

/**
 * The documented rule (README, "CLI"): `--portal` names the portal; without it a command that acts on one portal
 * takes the only portal it knows (configured for HubSpot, or with rows in the store for store-only commands), and a
 * command that sweeps takes every portal it knows. It never guesses among several, and a named portal must be known.
 */
export const portalHelp = (scope: 'one' | 'every', known: string): string =>
  scope === 'one' ? `HubSpot portal id (default: the only portal ${known}; name one when there are several)` : `HubSpot portal id (default: every portal ${known})`;

/** The one portal a command acts on (rule above); `known` describes where the portals come from, for the message. */
export function chooseOnePortal(requested: number | undefined, portals: readonly number[], known: string): number {
  const sorted = [...portals].sort((a, b) => a - b);
  if (requested !== undefined) {
    if (!sorted.includes(requested)) throw new CliError(`portal ${requested} is not ${known} (${listed(sorted)})`);
    return requested;
  }
  if (sorted.length === 1) return sorted[0]!;
  if (sorted.length === 0) throw new CliError(`no portal ${known}: nothing to act on`);
  throw new CliError(`several portals ${known} (${sorted.join(', ')}): name one with --portal`);
}

/** The portals a sweeping command acts on (rule above). */
export function chooseEveryPortal(requested: number | undefined, portals: readonly number[], known: string): number[] {
  const sorted = [...portals].sort((a, b) => a - b);
  if (requested === undefined) return sorted;
  if (!sorted.includes(requested)) throw new CliError(`portal ${requested} is not ${known} (${listed(sorted)})`);
  return [requested];
}

const listed = (portals: readonly number[]) => (portals.length === 0 ? 'none is' : `${portals.length === 1 ? 'only' : 'known:'} ${portals.join(', ')}`);

/** `--database <url>`, on every command that opens the store. */
export const DATABASE_FLAGS = '--database <url>';
export const DATABASE_HELP = 'database URL (default: $DATABASE_URL, else .lifecycle/lifecycle.db; DATABASE_SCHEMA applies on PostgreSQL)';
export const DatabaseOptionSchema = z.string().min(1, '--database must be a database URL').optional();
