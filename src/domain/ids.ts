import { randomBytes } from 'node:crypto'

/** Twilio SID prefixes this platform issues (see the Trust Hub spec §1). */
export type SidPrefix = 'AC' | 'SK' | 'BU' | 'IT' | 'RD' | 'OY' | 'RN' | 'BV' | 'RA' | 'EL' | 'PN' | 'AD' | 'RV' | 'EV' | 'CR'

/** A new SID: two-letter prefix + 32 lowercase hex characters, as Twilio issues them. */
export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex')
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
