/**
 * Every reference an object makes stays inside its tenant (DESIGN §2): a supporting document's
 * `address_sids` may name addresses of the document's own account or of its parent account
 * (an ISV's sub-account may use the ISV's headquarters), nothing else. A SID that names no
 * address and one that names another tenant's get the same answer, so SIDs cannot be probed.
 * (Entity assignments check their ObjectSid the same way: assignments.ts.)
 */
import type { Executor } from '../store/db.js'
import { findAccount } from '../store/accounts.repo.js'
import { addressesAmong } from '../store/addresses.repo.js'
import { listValue } from '../domain/evaluation-fields.js'
import { errors } from '../domain/errors.js'

/** The accounts whose addresses `accountSid`'s documents may name: its own and its parent's. */
async function addressOwners(db: Executor, accountSid: string): Promise<string[]> {
  const parent = (await findAccount(db, accountSid))?.parent_sid
  return parent ? [accountSid, parent] : [accountSid]
}

/** Refuses (400 naming Attributes) a document whose address_sids name an address outside `accountSid`'s reach. */
export async function checkDocumentReferences(db: Executor, accountSid: string, attributes: string): Promise<void> {
  let named: string[]
  try {
    named = [...new Set(listValue((JSON.parse(attributes) as Record<string, unknown>).address_sids))]
  } catch {
    return
  }
  if (!named.length) return
  const owners = await addressOwners(db, accountSid)
  const found = await addressesAmong(db, owners, named)
  const missing = named.filter((s) => !found.has(s))
  if (missing.length) {
    throw errors.invalid(
      'Attributes',
      `address_sids names ${missing.join(', ')}, which is not an Address of account ${accountSid}${owners.length > 1 ? ' or its parent account' : ''}: create it with POST /2010-04-01/Accounts/${accountSid}/Addresses.json`,
    )
  }
}
