import { randomBytes, randomFillSync } from 'node:crypto'

/** Twilio SID prefixes this platform issues (see the Trust Hub spec §1). */
export type SidPrefix =
  | 'AC'
  | 'SK'
  | 'BU'
  | 'IT'
  | 'RD'
  | 'OY'
  | 'RN'
  | 'BV'
  | 'RA'
  | 'EL'
  | 'PN'
  | 'AD'
  | 'RV'
  | 'EV'
  | 'CR'
  | 'TK'
  | 'HR'
  | 'PX'
  | 'BK'
  | 'CL'
  | 'US'
  | 'SN'

// SIDs come from a pool of CSPRNG bytes refilled 4 KB at a time: one OpenSSL call per 256 SIDs
// instead of one per SID, which was two thirds of a bulk number import's time.
const pool = Buffer.allocUnsafe(4096)
let used = pool.length

/** A new SID: two-letter prefix + 32 lowercase hex characters (128 random bits), as Twilio issues them. */
export function newSid(prefix: SidPrefix): string {
  if (used + 16 > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  used += 16
  return prefix + pool.toString('hex', used - 16, used)
}

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/

/** True when `s` is shaped like a SID with the given prefix (or any prefix). */
export function isSid(s: unknown, prefix?: SidPrefix): s is string {
  return typeof s === 'string' && SID.test(s) && (prefix === undefined || s.startsWith(prefix))
}

/** A fresh secret (auth token, API key secret, operator token): 128 bits as 32 hex chars. */
export function newSecret(): string {
  return randomBytes(16).toString('hex')
}
