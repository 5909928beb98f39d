/** STI-VS store access: outcome counters and verify-front policies, always scoped by account. */
import type { Executor } from './db.js'
import type { VerificationCountersTable, VerificationPoliciesTable } from './tables/verification.table.js'
import { groupBy } from './group-by.js'
import { inList } from './in-list.js'

export type VerificationCountRow = VerificationCountersTable
export type VerificationPolicyRow = VerificationPoliciesTable

/** Adds counts (existing buckets are incremented), in one statement. */
export async function addVerificationCounts(db: Executor, rows: readonly VerificationCountRow[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('verification_counters')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .columns(['account_sid', 'hour', 'reason', 'spc', 'attest'])
        .doUpdateSet((eb) => ({ count: eb('verification_counters.count', '+', eb.ref('excluded.count')) })),
    )
    .execute()
}

/** Totals by reason and SPC per account since `fromHour` (inclusive), in one query. */
export async function verificationCountsByAccount(
  db: Executor,
  accountSids: readonly string[],
  fromHour = '',
): Promise<Map<string, { reason: string; spc: string; count: number }[]>> {
  const rows = await db
    .selectFrom('verification_counters')
    .select(['account_sid', 'reason', 'spc', (eb) => eb.fn.sum<number | string>('count').as('count')])
    .where(inList(db, 'account_sid', accountSids))
    .where('hour', '>=', fromHour)
    .groupBy(['account_sid', 'reason', 'spc'])
    .orderBy('reason')
    .orderBy('spc')
    .execute()
  const totals = groupBy(rows, (r) => r.account_sid)
  return new Map(
    [...totals].map(([sid, rs]) => [sid, rs.map((r) => ({ reason: r.reason, spc: r.spc, count: Number(r.count) }))]),
  )
}

/** An account's policy, or undefined when it has none (the configured defaults apply). */
export async function findVerificationPolicy(
  db: Executor,
  accountSid: string,
): Promise<VerificationPolicyRow | undefined> {
  return db.selectFrom('verification_policies').selectAll().where('account_sid', '=', accountSid).executeTakeFirst()
}

/** Creates or replaces an account's policy. */
export async function saveVerificationPolicy(db: Executor, row: VerificationPolicyRow): Promise<void> {
  await db
    .insertInto('verification_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('account_sid').doUpdateSet({
        failure_action: row.failure_action,
        require_identity: row.require_identity,
        date_updated: row.date_updated,
      }),
    )
    .execute()
}
