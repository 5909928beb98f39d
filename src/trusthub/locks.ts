/**
 * Approved facts are immutable (DESIGN §2): an end user, supporting document or address that a
 * bundle under review or approved reads cannot be edited or deleted, or the reviewer's decision
 * would cover facts nobody reviewed. Changes go through a copy of the bundle (copies.ts).
 * Call these inside the transaction that makes the change: they lock the bundles they read.
 */
import type { Executor } from '../store/db.js'
import { lockBundlesAttaching, type AttachingBundle } from '../store/entities.repo.js'
import { childSids } from '../store/accounts.repo.js'
import { documentsReferencing, type AddressRow } from '../store/addresses.repo.js'
import { APPROVED, LOCKED } from '../domain/bundle.js'
import { errors } from '../domain/errors.js'

/** The bundle to name when several freeze an object: an approved one first (the copy route applies to it). */
function freezing(bundles: readonly AttachingBundle[]): AttachingBundle | undefined {
  const locked = bundles.filter((b) => LOCKED.includes(b.status))
  return locked.find((b) => b.status === APPROVED) ?? locked[0]
}

/** Refuses (OBJECT_LOCKED) a change to end user or document `sid` while a locked bundle attaches it. */
export async function requireObjectUnlocked(db: Executor, sid: string): Promise<void> {
  const b = freezing(await lockBundlesAttaching(db, [sid]))
  if (b) throw errors.locked(sid, b)
}

/**
 * Refuses (OBJECT_LOCKED) a change to an address while a locked bundle attaches a document that
 * names it. Documents of the address's account and of its sub-accounts may name it (references.ts).
 */
export async function requireAddressUnlocked(
  db: Executor,
  address: Pick<AddressRow, 'sid' | 'account_sid'>,
): Promise<void> {
  const accounts = [address.account_sid, ...(await childSids(db, address.account_sid))]
  const docs = await documentsReferencing(db, accounts, address.sid)
  const b = freezing(await lockBundlesAttaching(db, docs))
  if (b) throw errors.locked(address.sid, b)
}
