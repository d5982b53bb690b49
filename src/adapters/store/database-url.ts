import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type DatabaseTarget = { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; connectionString: string };

/**
 * `postgres://…` / `postgresql://…` → PostgreSQL; `sqlite:<path>`, `sqlite://<path>`, a plain file path or
 * `:memory:` → SQLite. Anything else with a scheme is refused rather than mistaken for a file name.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { dialect: 'postgres', connectionString: trimmed };
  if (/^sqlite:/i.test(trimmed)) {
    const path = trimmed.slice('sqlite:'.length).replace(/^\/\//, '');
    return sqliteTarget(path);
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(trimmed)) throw new Error(`Unsupported database URL scheme: ${redactDatabaseUrl(trimmed)}`);
  return sqliteTarget(trimmed);
}

/** `sqlite:<cwd>/.lifecycle/lifecycle.db`, creating the folder: the zero-set-up default. */
export function defaultDatabaseUrl(cwd: string = process.cwd()): string {
  const folder = join(cwd, '.lifecycle');
  mkdirSync(folder, { recursive: true });
  return `sqlite:${join(folder, 'lifecycle.db')}`;
}

export function isInMemory(filename: string): boolean {
  return filename === ':memory:';
}

function sqliteTarget(path: string): DatabaseTarget {
  if (path === '') throw new Error('SQLite database URL has no file path');
  if (isInMemory(path)) return { dialect: 'sqlite', filename: path };
  const filename = resolve(path);
  mkdirSync(dirname(filename), { recursive: true });
  return { dialect: 'sqlite', filename };
}

/** Logs and error messages must not leak credentials embedded in a URL: the password becomes ***. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*)(:[^@/]*)?@/, (_match, user: string, password: string | undefined) => (password === undefined ? '//***@' : `//${user}:***@`));
}

/**
 * The SQLite file a database URL names, resolved against the working directory (no folder is created); null for
 * PostgreSQL and `:memory:`. Refuses what parseDatabaseUrl refuses.
 */
export function sqliteFileOf(url: string): string | null {
  const target = url.trim();
  if (/^postgres(ql)?:\/\//i.test(target)) return null;
  if (!/^sqlite:/i.test(target) && /^[a-z][a-z0-9+.-]+:\/\//i.test(target)) throw new Error(`Unsupported database URL scheme: ${redactDatabaseUrl(target)}`);
  const path = /^sqlite:/i.test(target) ? target.slice('sqlite:'.length).replace(/^\/\//, '') : target;
  if (path === '') throw new Error('SQLite database URL has no file path');
  return isInMemory(path) ? null : resolve(path);
}

/**
 * For commands that only read (report, replay, dead-letters list): the SQLite file the URL names must exist —
 * opening it would otherwise create an empty database and report nothing, silently. PostgreSQL: nothing to check.
 */
export function assertDatabaseExists(url: string): void {
  const filename = sqliteFileOf(url);
  if (filename !== null && !existsSync(filename)) {
    throw new Error(
      `the database ${filename} does not exist: this command only reads it (pass --database or set DATABASE_URL to the backend's database, or run \`lifecycle serve\` first; \`lifecycle demo\` writes its own, by default --database sqlite:.lifecycle/demo.db)`,
    );
  }
}
