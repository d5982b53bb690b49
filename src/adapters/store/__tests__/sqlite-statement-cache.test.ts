import BetterSqlite3 from 'better-sqlite3';
import { withStatementCache } from '../sqlite-statement-cache';

describe('the SQLite prepared-statement cache', () => {
  let connection: BetterSqlite3.Database;
  beforeEach(() => {
    connection = new BetterSqlite3(':memory:');
    connection.exec('create table t (id integer primary key, v text)');
  });
  afterEach(() => {
    if (connection.open) connection.close();
  });

  it('prepares a SQL text once and reuses the statement, with new parameters each time', () => {
    const prepare = jest.spyOn(connection, 'prepare');
    const db = withStatementCache(connection);
    for (const v of ['a', 'b', 'c']) db.prepare('insert into t (v) values (?)').run([v]);
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(db.prepare('select v from t order by id').all([])).toEqual([{ v: 'a' }, { v: 'b' }, { v: 'c' }]);
  });

  it('evicts the least recently used statement beyond its capacity, and still answers correctly after eviction', () => {
    const prepare = jest.spyOn(connection, 'prepare');
    const db = withStatementCache(connection, 2);
    const one = 'select 1 as n';
    const two = 'select 2 as n';
    const three = 'select 3 as n';
    db.prepare(one);
    db.prepare(two);
    db.prepare(one); // one is now the most recent
    db.prepare(three); // evicts two
    expect(prepare).toHaveBeenCalledTimes(3);
    db.prepare(one);
    expect(prepare).toHaveBeenCalledTimes(3);
    expect(db.prepare(two).all([])).toEqual([{ n: 2 }]);
    expect(prepare).toHaveBeenCalledTimes(4);
  });

  it('keeps working across a schema change (SQLite re-prepares a stale statement itself)', () => {
    const db = withStatementCache(connection);
    db.prepare('insert into t (v) values (?)').run(['before']);
    connection.exec('alter table t add column w text');
    db.prepare('insert into t (v) values (?)').run(['after']);
    expect(db.prepare('select v, w from t order by id').all([])).toEqual([
      { v: 'before', w: null },
      { v: 'after', w: null },
    ]);
  });

  it('closing closes the connection', () => {
    withStatementCache(connection).close();
    expect(connection.open).toBe(false);
  });
});
