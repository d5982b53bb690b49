import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultDatabaseUrl, parseDatabaseUrl, sqliteFileOf } from '../database-url';

describe('database URLs', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'lc-url-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('routes postgres:// and postgresql:// URLs to PostgreSQL untouched', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/lc')).toEqual({ dialect: 'postgres', connectionString: 'postgres://u:p@db:5432/lc' });
    expect(parseDatabaseUrl('postgresql://db/lc')).toEqual({ dialect: 'postgres', connectionString: 'postgresql://db/lc' });
  });

  it("routes sqlite: URLs, plain paths and :memory: to SQLite, creating the file's folder", () => {
    const file = join(folder, 'nested', 'lc.db');
    expect(parseDatabaseUrl(`sqlite:${file}`)).toEqual({ dialect: 'sqlite', filename: file });
    expect(parseDatabaseUrl(`sqlite://${file}`)).toEqual({ dialect: 'sqlite', filename: file });
    expect(parseDatabaseUrl(file)).toEqual({ dialect: 'sqlite', filename: file });
    expect(existsSync(join(folder, 'nested'))).toBe(true);
    expect(parseDatabaseUrl(':memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
  });

  it('resolves relative SQLite paths against the working directory', () => {
    // Parsing creates folders but never the file, so a name in the (existing) working directory leaves no trace.
    expect(parseDatabaseUrl('sqlite:lc-relative.db')).toEqual({ dialect: 'sqlite', filename: resolve('lc-relative.db') });
    expect(existsSync(resolve('lc-relative.db'))).toBe(false);
  });

  it('refuses other schemes without echoing credentials', () => {
    // The user name stays (it helps find the setting); the password never appears (R27).
    expect(() => parseDatabaseUrl('mysql://root:secret@db/lc')).toThrow(/Unsupported database URL scheme: mysql:\/\/root:\*\*\*@db\/lc/);
    expect(() => parseDatabaseUrl('mysql://root:secret@db/lc')).not.toThrow(/secret/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/no file path/);
  });

  it('names the SQLite file a URL names as parseDatabaseUrl does, without creating its folder (null for PostgreSQL and :memory:)', () => {
    const file = join(folder, 'nested', 'lc.db');
    expect([sqliteFileOf(`sqlite:${file}`), sqliteFileOf(`sqlite://${file}`), sqliteFileOf(file), sqliteFileOf('sqlite:lc-relative.db')]).toEqual([
      file,
      file,
      file,
      resolve('lc-relative.db'),
    ]);
    expect(existsSync(join(folder, 'nested'))).toBe(false);
    expect([sqliteFileOf('postgres://u:p@db/lc'), sqliteFileOf(':memory:'), sqliteFileOf('sqlite::memory:')]).toEqual([null, null, null]);
    expect(() => sqliteFileOf('mysql://root:secret@db/lc')).toThrow(/Unsupported database URL scheme: mysql:\/\/root:\*\*\*@db\/lc/);
    expect(() => sqliteFileOf('sqlite:')).toThrow(/no file path/);
  });

  it('defaults to .lifecycle/lifecycle.db under the working directory, creating the folder', () => {
    expect(defaultDatabaseUrl(folder)).toBe(`sqlite:${join(folder, '.lifecycle', 'lifecycle.db')}`);
    expect(existsSync(join(folder, '.lifecycle'))).toBe(true);
  });
});
