/**
 * Which numbers the operator's inventory takes: valid US (and US-territory) NANP numbers that
 * are local (geographic) or toll-free, the two kinds Twilio's AvailablePhoneNumbers sells
 * (`US/Local`, `US/TollFree`). Premium-rate (900), personal (500) and other kinds are refused.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { parseE164 } from './e164.js'

export type InventoryKind = 'local' | 'toll-free'

export type InventoryNumber =
  | { readonly ok: true; readonly e164: string; readonly areaCode: string; readonly kind: InventoryKind }
  | { readonly ok: false; readonly reason: string }

// US and the territories under the FCC's STIR/SHAKEN mandate (as the attestation engine's US rule).
const US_REGIONS: ReadonlySet<string> = new Set(['US', 'PR', 'VI', 'GU', 'AS', 'MP'])
const LOCAL_TYPES: ReadonlySet<string> = new Set(['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE'])

/** Judges one inventory entry (E.164, `+` required). */
export function inventoryNumber(raw: string): InventoryNumber {
  const r = parseE164(raw)
  if (!r.ok) return r
  const p = parsePhoneNumberFromString(r.e164)
  if (!p || !p.country || !US_REGIONS.has(p.country)) return { ok: false, reason: `${r.e164} is not a US number` }
  const type = p.getType()
  const kind: InventoryKind | undefined =
    type === 'TOLL_FREE' ? 'toll-free' : type && LOCAL_TYPES.has(type) ? 'local' : undefined
  if (!kind)
    return {
      ok: false,
      reason: `${r.e164} is a ${String(type ?? 'unknown')
        .toLowerCase()
        .replace(/_/g, '-')} number: the inventory takes local and toll-free numbers`,
    }
  return { ok: true, e164: r.e164, areaCode: r.e164.slice(2, 5), kind }
}
