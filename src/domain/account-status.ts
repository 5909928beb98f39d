/**
 * Account statuses (Twilio's: `active`, `suspended`, `closed`) and the two rules over them.
 * A sub-account is only as active as its parent: suspending or closing a top-level account
 * stops its sub-accounts too, without writing their rows, so reactivating the parent gives
 * each sub-account back its own status (one suspended on its own stays suspended). Closing is
 * final: a closed account never changes status again.
 */
import { AppError } from './errors.js'

export type AccountStatus = 'active' | 'suspended' | 'closed'

const RANK: Readonly<Record<string, number>> = { active: 0, suspended: 1, closed: 2 }

/** The status an account acts with: its own, or its parent's when that one is worse. */
export function effectiveStatus(own: string, parent: string | null | undefined): string {
  if (parent === null || parent === undefined) return own
  return (RANK[parent] ?? 2) > (RANK[own] ?? 2) ? parent : own
}

/** Throws ACCOUNT_CLOSED when `from` → `to` would reopen a closed account. */
export function assertStatusChange(sid: string, from: string, to: AccountStatus): void {
  if (from === 'closed' && to !== 'closed')
    throw new AppError('ACCOUNT_CLOSED', `Account ${sid} is closed: closing is final`)
}

/** Throws ACCOUNT_INACTIVE (403) for an account whose effective status is not active. */
export function assertActive(sid: string, status: string): void {
  if (status !== 'active') throw new AppError('ACCOUNT_INACTIVE', `Account ${sid} is ${status}`, { status })
}
