/**
 * What the branding checks read besides attachments (docs/branding.md): the approved brands of
 * other account families (the look-alike check), a branding product's numbers against its
 * SHAKEN/STIR trust product, and the pin's removal when a product stops being approved.
 */
import type { Executor } from './db.js'
import { inList } from './in-list.js'

/**
 * Approved brands (approved_brands) of every account but `account`: an ISV's sub-accounts are
 * other businesses, so they are compared with each other and with the ISV.
 */
export async function approvedBrandsOfOthers(db: Executor, account: string) {
  return db
    .selectFrom('approved_brands')
    .select(['bundle_sid', 'account_sid', 'display_name'])
    .where('account_sid', '!=', account)
    .execute()
}

/** The numbers (E.164) of `bundleSid`, and those of them not on any of `shakenSids`. */
export async function numbersOffShaken(
  db: Executor,
  bundleSid: string,
  shakenSids: readonly string[],
): Promise<{ numbers: number; off: string[] }> {
  const mine = await db
    .selectFrom('channel_endpoint_assignments as c')
    .innerJoin('phone_numbers as n', 'n.sid', 'c.channel_endpoint_sid')
    .select(['c.channel_endpoint_sid as sid', 'n.phone_number'])
    .where('c.bundle_sid', '=', bundleSid)
    .execute()
  if (mine.length === 0 || shakenSids.length === 0)
    return { numbers: mine.length, off: mine.map((m) => m.phone_number) }
  const on = await db
    .selectFrom('channel_endpoint_assignments')
    .select('channel_endpoint_sid')
    .where(inList(db, 'bundle_sid', shakenSids))
    .where(
      inList(
        db,
        'channel_endpoint_sid',
        mine.map((m) => m.sid),
      ),
    )
    .execute()
  const held = new Set(on.map((r) => r.channel_endpoint_sid))
  return { numbers: mine.length, off: mine.filter((m) => !held.has(m.sid)).map((m) => m.phone_number) }
}

/** Removes a trust product's pinned brand (it is no longer approved, or no longer exists). */
export async function unpinBrand(db: Executor, bundleSid: string): Promise<void> {
  await db.deleteFrom('approved_brands').where('bundle_sid', '=', bundleSid).execute()
}
