/**
 * Verification analytics reads over `verification_counters` (hourly totals per account,
 * reason, signer SPC and claimed attest), grouped in SQL: the rows returned grow with the
 * buckets and signers shown, never with the calls counted.
 */
import { sql, type Expression, type SqlBool } from 'kysely'
import type { Executor } from './db.js'
import type { AnalyticsBucket, SeriesCount, SignerCount } from '../domain/call-analytics.js'

/** Whose verifications: an account with its sub-accounts, or every account (the operator, '' included). */
export type AnalyticsScope = { readonly account: string } | 'all'

/** The counters of a scope and an hour span (`YYYY-MM-DDTHH`, inclusive). */
interface Span {
  readonly scope: AnalyticsScope
  readonly fromHour: string
  readonly toHour: string
}

// The account's own rows and its sub-accounts' by one subquery: an ISV may have tens of
// thousands of sub-accounts, too many to bind as a list.
function inScope(scope: AnalyticsScope): Expression<SqlBool> {
  if (scope === 'all') return sql<SqlBool>`1 = 1`
  return sql<SqlBool>`account_sid in (select sid from accounts where sid = ${scope.account} or parent_sid = ${scope.account})`
}

const num = (v: number | string | null) => Number(v ?? 0)

/** Passed and failed verifications per bucket (hour or UTC day) and claimed attest. */
export async function verificationSeriesCounts(
  db: Executor,
  span: Span,
  bucket: AnalyticsBucket,
): Promise<SeriesCount[]> {
  // A literal length, so the grouped expression is the selected one on PostgreSQL too.
  const key = sql<string>`substr(hour, 1, ${sql.lit(bucket === 'hour' ? 13 : 10)})`
  const rows = await db
    .selectFrom('verification_counters')
    .select([
      key.as('bucket'),
      'attest',
      sql<number | string>`sum(case when reason = 'passed' then count else 0 end)`.as('passed'),
      sql<number | string>`sum(case when reason = 'passed' then 0 else count end)`.as('failed'),
    ])
    .where(inScope(span.scope))
    .where('hour', '>=', span.fromHour)
    .where('hour', '<=', span.toHour)
    .groupBy([key, 'attest'])
    .orderBy(key)
    .execute()
  return rows.map((r) => ({ bucket: r.bucket, attest: r.attest, passed: num(r.passed), failed: num(r.failed) }))
}

/** Verifications per signer SPC, reason and claimed attest over the span. */
export async function verificationSignerCounts(db: Executor, span: Span): Promise<SignerCount[]> {
  const rows = await db
    .selectFrom('verification_counters')
    .select(['spc', 'reason', 'attest', (eb) => eb.fn.sum<number | string>('count').as('count')])
    .where(inScope(span.scope))
    .where('hour', '>=', span.fromHour)
    .where('hour', '<=', span.toHour)
    .groupBy(['spc', 'reason', 'attest'])
    .execute()
  return rows.map((r) => ({ spc: r.spc, reason: r.reason, attest: r.attest, count: num(r.count) }))
}
