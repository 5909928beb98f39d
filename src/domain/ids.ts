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

/**
 * A call record's SID: `CL`, the record's time (epoch ms, 12 hex digits), then 80 random bits.
 * The time in the SID lets one record be fetched by the primary key (date_created, sid), which
 * on PostgreSQL also picks its day partition: no index on the SID alone to keep up per call.
 */
export function callSid(atMs: number): string {
  return 'CL' + atMs.toString(16).padStart(12, '0') + newSid('CL').slice(2, 22)
}

/** The time (ISO 8601) a call record's SID carries, or undefined when it carries none. */
export function timeOfCallSid(sid: string): string | undefined {
  if (!/^CL[0-9a-f]{32}$/.test(sid)) return undefined
  const ms = Number.parseInt(sid.slice(2, 14), 16)
  return ms <= 8.64e15 ? new Date(ms).toISOString() : undefined
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
