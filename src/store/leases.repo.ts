/**
 * Leases on periodic jobs: several instances on one store each try to take a job's lease when
 * its period comes round; the conditional UPDATE lets exactly one of them have it until it
 * runs out, so the job runs once per period however many instances there are.
 */
import type { Executor } from './db.js'

/**
 * Takes the lease on `name` for `holder` until `until` when it is free at `now` (never taken,
 * or run out); false when another holder has it. One conditional statement each, no
 * read-then-write, so two instances racing for it cannot both win.
 */
export async function takeLease(
  db: Executor,
  name: string,
  holder: string,
  now: string,
  until: string,
): Promise<boolean> {
  const later = new Date(2 * Date.parse(until) - Date.parse(now)).toISOString()
  const taken = await db
    .updateTable('leases')
    .set((eb) => ({ holder, until, runs: eb('runs', '+', 1) }))
    .where('name', '=', name)
    // A lease ending more than a period after a fresh one would was taken before a clock
    // stepped back; within that, clocks of different machines may differ without both running.
    .where((eb) => eb.or([eb('until', '<=', now), eb('until', '>', later)]))
    .executeTakeFirst()
  if (Number(taken.numUpdatedRows) > 0) return true
  const created = await db
    .insertInto('leases')
    .values({ name, holder, until, runs: 1 })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst()
  return Number(created.numInsertedOrUpdatedRows ?? 0) > 0
}

/** A lease as stored (tests, metrics): its holder, its end and how often it was taken. */
export async function findLease(
  db: Executor,
  name: string,
): Promise<{ holder: string; until: string; runs: number } | undefined> {
  const row = await db
    .selectFrom('leases')
    .select(['holder', 'until', 'runs'])
    .where('name', '=', name)
    .executeTakeFirst()
  return row && { ...row, runs: Number(row.runs) }
}
