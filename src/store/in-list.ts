/**
 * `column IN (…)` for a list of any length. A short list binds one parameter per value; a
 * long one — the visible accounts of a parent with tens of thousands of sub-accounts — binds
 * the whole list as one JSON parameter, since a statement may bind at most 32 766 parameters
 * on SQLite and 65 535 on PostgreSQL.
 */
import { PostgresAdapter, sql, type Expression, type SqlBool } from 'kysely'
import type { Executor } from './db.js'

/** Longest list bound value by value. */
const SHORT = 500

export function inList(db: Executor, column: string, values: readonly string[]): Expression<SqlBool> {
  const ref = sql.ref(column)
  if (values.length === 0) return sql<SqlBool>`1 = 0`
  if (values.length <= SHORT) return sql<SqlBool>`${ref} in (${sql.join(values)})`
  const json = JSON.stringify(values)
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<SqlBool>`${ref} in (select jsonb_array_elements_text(${json}::jsonb))`
    : sql<SqlBool>`${ref} in (select value from json_each(${json}))`
}
