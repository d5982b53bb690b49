import type { Migration } from 'kysely';
import type { StoreDialect } from '../database';
import { initialSchema } from './0001-initial-schema';

/** Every migration, by name; names sort in the order they run. Append only: never edit a released migration. */
export function allMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial-schema': initialSchema(dialect),
  };
}
