import type { Logger } from 'pino';
import { z } from 'zod';
import type { CompiledModel } from '../core';
import { systemClock, type Clock } from '../app/ports/clock';
import type { Store } from '../app/ports/store-ports';
import { parseEnv, type Env } from '../config/env';
import { loadModel } from '../main/load-model';
import { createLogger } from '../main/logger';
import { openExistingStore, openStore, resolveHubSpotTarget, withDatabase, type HubSpotTarget } from '../main/runtime';

/**
 * A failure the operator can act on: printed as `lifecycle <command>: message` with exit code 1, like every other
 * failure of a command (see `cliAction`).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** What a command may use; each part is made on first use and released by `withCliRuntime`, whatever happens. */
export interface CliRuntime {
  env: Env;
  logger: Logger;
  clock: Clock;
  /** The configured lifecycle model (LIFECYCLE_MODEL_FILE, else the shipped default). */
  model(): CompiledModel;
  /** The store at `--database` (else DATABASE_URL), in DATABASE_SCHEMA on PostgreSQL. */
  store(): Promise<Store>;
  /** Where HubSpot is: the configured account, or a built-in simulator stopped at the end. */
  hubspot(): Promise<HubSpotTarget>;
}

export interface CliRuntimeOptions {
  /** `--database <url>`: replaces DATABASE_URL; DATABASE_SCHEMA still applies. */
  database?: string | undefined;
  /** Commands that only read refuse to create a missing SQLite file (`existing`); the others create it. */
  store?: 'create' | 'existing';
}

/**
 * The one start-up of a CLI command: environment, logger (the CLI is quiet: LOG_LEVEL=info logs warnings only, so
 * the command's own output stays readable), store, model and HubSpot target, all closed in `finally`.
 */
export async function withCliRuntime<T>(options: CliRuntimeOptions, run: (rt: CliRuntime) => Promise<T>): Promise<T> {
  const env = commandEnv(options.database);
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  let model: CompiledModel | undefined;
  let store: Promise<Store> | undefined;
  let target: Promise<HubSpotTarget> | undefined;
  const rt: CliRuntime = {
    env,
    logger,
    clock: systemClock,
    model: () => (model ??= loadModel(env.LIFECYCLE_MODEL_FILE)),
    store: () => (store ??= options.store === 'existing' ? openExistingStore(env) : openStore(env)),
    hubspot: () => (target ??= resolveHubSpotTarget(env, systemClock, logger)),
  };
  try {
    return await run(rt);
  } finally {
    await settle(target)?.then((t) => t?.simulator?.stop());
    await settle(store)?.then((s) => s?.close());
  }
}

/** The environment a command runs in: `--database <url>` (when given) replaces DATABASE_URL; DATABASE_SCHEMA still applies. */
export const commandEnv = (database: string | undefined): Env => withDatabase(parseEnv(), database);

/** A part that failed to open has nothing to release (its error is the command's error). */
const settle = <T>(part: Promise<T> | undefined): Promise<T | undefined> | undefined => part?.catch(() => undefined);

/**
 * Every command's action goes through here: one error prefix (`lifecycle <command>: …`) on stderr and exit code 1
 * for every failure, expected (bad option, unknown portal) or not. zod errors are shown field by field; the stack
 * of an unexpected error is logged at LOG_LEVEL=debug.
 */
export function cliAction<A extends unknown[]>(command: string, action: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      failCommand(command, error);
    }
  };
}

/** Prints `lifecycle <command>: message` and sets exit code 1. */
export function failCommand(command: string, error: unknown): void {
  const message = error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error);
  console.error(`lifecycle ${command}: ${message}`);
  if (process.env['LOG_LEVEL'] === 'debug' && error instanceof Error && !(error instanceof CliError) && error.stack) console.error(error.stack);
  process.exitCode = 1;
}
