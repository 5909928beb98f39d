/**
 * The one place a bundle's status changes (customer submission, operator or reviewer
 * decisions). Callers pass a transaction: history, audit and the status-callback outbox are
 * written here, in the same transaction, so a change and its side effects commit together
 * (DESIGN §3). Which moves exist and what each sets are the bundle's rules (domain/bundle.ts).
 */
import type { Transaction } from 'kysely'
import type { Database } from '../store/database.js'
import { setBundleStatus, type BundleRow } from '../store/bundles.repo.js'
import { isoNow, type Clock } from '../domain/time.js'
import { APPROVED, statusPatch, type BundleStatus, type StatusChange } from '../domain/bundle.js'
import { pinBrand } from './brand-pin.js'
import { unpinBrand } from '../store/brand-checks.repo.js'
import { recordStatusChange, type EffectsConfig } from './status-effects.js'
import { bumpDecisionVersion, scope } from '../store/decision-version.repo.js'

/** Moves `bundle` to `to` inside `trx` and returns the updated row. */
export async function changeBundleStatus(
  trx: Transaction<Database>,
  ctx: { readonly clock: Clock; readonly config?: EffectsConfig },
  bundle: BundleRow,
  to: BundleStatus,
  change: StatusChange,
): Promise<BundleRow> {
  const now = isoNow(ctx.clock)
  const patch = statusPatch(to, change, now)
  await setBundleStatus(trx, bundle.sid, patch)
  // Signers drop what they hold of this bundle on the next call (DESIGN §4); the family scope
  // covers a bundle entering or leaving the owner's approved set.
  await bumpDecisionVersion(trx, [scope.bundle(bundle.sid), scope.family(bundle.account_sid)])
  const after = { ...bundle, ...patch }
  // A branding product's approved brand lives exactly as long as its approval (brand-pin.ts).
  if (to === APPROVED) await pinBrand(trx, after, change.logos, now)
  else if (bundle.status === APPROVED) await unpinBrand(trx, bundle.sid)
  // Review history, audit event and status-callback outbox row, in this same transaction.
  await recordStatusChange(trx, bundle, after, change, now, ctx.config)
  return after
}
